/**
 * arq, end to end from YAML text: parseWorkflowText + checkWorkflow + runWorkflow, from the
 * build in dist/ (npm run bench builds it first; ARQ_BENCH_DIST names another build). Each run
 * reports its three phases.
 */
import { pathToFileURL } from 'node:url';
import { arqDist } from '../lib/measure.mjs';
import { arqYaml } from '../lib/shapes.mjs';

const dist = pathToFileURL(`${arqDist}/`);
const { parseWorkflowText } = await import(new URL('engine/load/load.js', dist).href);
const { checkWorkflow } = await import(new URL('engine/check/workflow.js', dist).href);
const { runWorkflow } = await import(new URL('engine/run/run.js', dist).href);

/** A measured run of one workflow text; count = steps (items included) that finished succeeded. */
function endToEnd(text) {
  return async () => {
    let count = 0;
    const onEvent = (event) => {
      if (event.type === 'step.finished' && event.status === 'succeeded') count++;
    };
    const t0 = performance.now();
    const doc = parseWorkflowText(text, 'bench.yaml');
    const t1 = performance.now();
    const workflow = await checkWorkflow(doc);
    const t2 = performance.now();
    const result = await runWorkflow(workflow, { onEvent });
    const t3 = performance.now();
    if (result.status !== 'succeeded') throw new Error(`arq run ${result.status}: ${result.error}`);
    return { count, phases: { parse: t1 - t0, check: t2 - t1, run: t3 - t2 } };
  };
}

export const chain = ({ n }) => endToEnd(arqYaml.chain(n));
export const foreach = ({ n, literal }) => endToEnd(arqYaml.foreach(n, literal));
export const parallel = ({ n }) => endToEnd(arqYaml.parallel(n));
export const dag = ({ n }) => endToEnd(arqYaml.dag(n));
export const shell = ({ n }) => endToEnd(arqYaml.shell(n));
