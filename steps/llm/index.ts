/** The llm.* step family: chat and JSON answers from any OpenAI-compatible server (openai, loaded lazily). */
import type { StepType } from '../contract.js';
import { llmChat } from './chat.js';
import { llmJson } from './json.js';

export { llmChat, llmJson };

export const llmSteps: StepType[] = [llmChat, llmJson] as StepType[];
