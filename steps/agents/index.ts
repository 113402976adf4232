/** The agents.* step family: teams of agents on tasks, written out or planned by a model (run by the engine). */
import type { StepType } from '../contract.js';
import { agentsPlan } from './plan.js';
import { agentsTeam } from './team.js';

export { agentsPlan, agentsTeam };

export const agentsSteps: StepType[] = [agentsTeam, agentsPlan];
