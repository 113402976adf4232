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

// --- The journal: runWorkflow bare, or recorded in a state directory the way `arq run` records it.

const { newRunId } = await import(new URL('engine/run/run.js', dist).href);
const { RunRecorder } = await import(new URL('engine/store/recorder.js', dist).href);
const { readJournal } = await import(new URL('engine/store/journal.js', dist).href);
const { readSummary } = await import(new URL('engine/store/summary.js', dist).href);
const { resolveStateDir, runDir, JOURNAL } = await import(new URL('engine/store/paths.js', dist).href);
const { createHash } = await import('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join, resolve } = await import('node:path');

/**
 * `shape` (chain or shell) of n steps, checked once (not measured); each measured run is
 * runWorkflow alone (`record: false`) or, like `arq run` (engine/cli/run.ts), RunRecorder.create
 * in a state directory under os.tmpdir() with a new run id (a fresh run folder each run), the
 * workflow file's sha256, every event passed to recorder.record, then recorder.close(). Phases:
 * open (hash + create: folder, lock), run (runWorkflow), close. The first run's record is read
 * back (journal lines, run.json), so a recorder that silently wrote nothing fails the row.
 */
export async function journal({ shape, n, record }) {
  const text = arqYaml[shape](n);
  const workflow = await checkWorkflow(parseWorkflowText(text, 'bench.yaml'));
  const root = mkdtempSync(join(tmpdir(), 'arq-bench-journal-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const file = join(root, 'bench.yaml');
  writeFileSync(file, text);
  const stateDir = resolveStateDir(join(root, 'state'));
  let verified = false;

  return async () => {
    let count = 0;
    let events = 0;
    const counting = (event) => {
      events++;
      if (event.type === 'step.finished' && event.status === 'succeeded') count++;
    };
    if (!record) {
      const t0 = performance.now();
      const result = await runWorkflow(workflow, { onEvent: counting });
      const t1 = performance.now();
      if (result.status !== 'succeeded') throw new Error(`arq run ${result.status}: ${result.error}`);
      return { count, phases: { run: t1 - t0 } };
    }
    let writeError;
    const t0 = performance.now();
    const runId = newRunId();
    const recorder = RunRecorder.create({
      stateDir, runId, workflow: workflow.name, file: resolve(file),
      hash: createHash('sha256').update(readFileSync(file)).digest('hex'),
      workdir: resolve(process.cwd()),
      onError: (error) => (writeError = error),
    });
    const t1 = performance.now();
    const onEvent = (event) => {
      recorder.record(event);
      counting(event);
    };
    const result = await runWorkflow(workflow, { onEvent, runId });
    const t2 = performance.now();
    recorder.close();
    const t3 = performance.now();
    if (writeError) throw new Error(`the recorder failed: ${writeError.message ?? writeError}`);
    if (result.status !== 'succeeded') throw new Error(`arq run ${result.status}: ${result.error}`);
    if (!verified) {
      const dir = runDir(stateDir, runId);
      const lines = readJournal(join(dir, JOURNAL)).entries.length;
      const status = readSummary(dir, runId)?.status;
      if (lines !== events || status !== 'succeeded') throw new Error(`the record of run ${runId}: ${lines} journal lines for ${events} events, run.json says ${status}`);
      verified = true;
    }
    return { count, phases: { open: t1 - t0, run: t2 - t1, close: t3 - t2 } };
  };
}
