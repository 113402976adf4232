/**
 * The deploy step family: what workflows/deploy.yaml is made of. `deploy.plan` fills in and checks
 * the settings, `deploy.phase` runs a phase and its health check, `traffic.split` moves traffic
 * through nginx and proves it live, `canary.watch` judges a stage, `deploy.report` writes the
 * summary. Each one keeps its evidence in the run's artifacts/deploy folder.
 *
 * @example
 * import { deploySteps } from './deploy/index.js';
 */
import type { StepType } from '../contract.js';
import { canaryWatch } from './canary-watch.js';
import { deployPhaseStep } from './phase.js';
import { deployPlan } from './plan.js';
import { deployReport } from './report.js';
import { trafficSplit } from './traffic-split.js';

/** Every deploy step type, for the registry. */
export const deploySteps: StepType[] = [deployPlan, deployPhaseStep, trafficSplit, canaryWatch, deployReport] as StepType[];
