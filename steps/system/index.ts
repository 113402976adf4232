/** The system step family: machine facts, metrics and threshold checks (systeminformation, loaded lazily). */
import type { StepType } from '../contract.js';
import { systemCheck } from './check.js';
import { systemInfo } from './info.js';
import { systemMetrics } from './metrics.js';

export { systemCheck, systemInfo, systemMetrics };

export const systemSteps: StepType[] = [systemInfo, systemMetrics, systemCheck] as StepType[];
