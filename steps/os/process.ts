/**
 * The process.* step family: long-running services started detached, found again by name, pid
 * file or pid, signalled, inspected and stopped with their whole process tree.
 *
 * @example
 * import { processSteps } from './os/process.js';
 * for (const step of processSteps) registry.set(step.type, step);
 */
import type { StepType } from '../contract.js';
import { processSignal, processStop } from './process-control.js';
import { processStart } from './process-start.js';
import { processList, processStatus } from './process-status.js';

export { processList, processSignal, processStart, processStatus, processStop };

/** Every process.* step type, for the registry. */
export const processSteps: StepType[] = [processStart, processStop, processSignal, processStatus, processList] as StepType[];
