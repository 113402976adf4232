/**
 * The bench's peers run every step of every shape they are measured on (a peer that skipped work
 * would look fast), and a peer that fails is reported as the bench's tables say: stack overflow,
 * never ended, timed out. Real processes: bench/lib/child.mjs, as `npm run bench` runs it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(ROOT, 'bench', 'lib', 'child.mjs');

interface Ended { readonly code: number | null; readonly stdout: string; readonly stderr: string }

function node(args: readonly string[]): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One run of a peer task in a child process: the steps it saw finish, and its phases. */
async function runOnce(peer: string, task: string, params: Record<string, unknown>): Promise<{ counts: number[]; phases: Record<string, number[]> }> {
  const spec = { peer: join(ROOT, 'bench', 'peers', peer), task, params, warmup: 0, runs: 1 };
  const { code, stdout, stderr } = await node([CHILD, JSON.stringify(spec)]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { counts: number[]; phases: Record<string, number[]> };
}

/** measureInChild (bench/lib/measure.mjs) on a task of test/fixtures/bench/failing-peer.mjs: how the bench reports it. */
async function failureOf(task: string, timeoutMs = 30_000): Promise<{ reason: string; message: string }> {
  const script = `import(${JSON.stringify(join(ROOT, 'bench', 'lib', 'measure.mjs'))}).then(async ({ measureInChild }) => {
    try { await measureInChild({ peer: '../test/fixtures/bench/failing-peer.mjs', task: ${JSON.stringify(task)}, warmup: 0, runs: 2, timeoutMs: ${timeoutMs} }); console.log('{}'); }
    catch (error) { console.log(JSON.stringify({ reason: error.reason, message: error.message })); }
  });`;
  const { stdout } = await node(['--input-type=module', '-e', script]);
  return JSON.parse(stdout.trim()) as { reason: string; message: string };
}

const shapes = [
  ['arq.mjs', [['chain', 10, 10], ['parallel', 10, 11], ['foreach', 10, 11], ['dag', 30, 30]]],
  ['xstate-hand.mjs', [['chain', 10, 10], ['coordinator', 10, 10], ['parallelRegions', 10, 10], ['dag', 30, 30]]],
  ['statebox.mjs', [['chain', 10, 10], ['fanout', 10, 10], ['dag', 30, 30]]],
  ['node-red.mjs', [['chain', 10, 10], ['fanout', 10, 10], ['dag', 30, 30]]],
  ['bpmn-engine.mjs', [['chain', 10, 10], ['fanout', 10, 10], ['dag', 30, 30]]],
] as const;

describe('the bench peers', () => {
  for (const [peer, tasks] of shapes) {
    it(`${peer} runs every step of each shape, read from its own format`, { timeout: 60_000 }, async () => {
      for (const [task, n, steps] of tasks) {
        const { counts } = await runOnce(peer, task, { n, expect: steps });
        expect([task, counts]).toEqual([task, [steps]]);
      }
    });
  }

  it('statebox also runs a chain of Pass states to its last state', async () => {
    expect((await runOnce('statebox.mjs', 'chain', { n: 10, state: 'pass', expect: 10 })).counts).toEqual([10]);
  });

  it('every shell peer runs each command, and reports it ran', { timeout: 60_000 }, async () => {
    const peers = [['arq.mjs', {}], ['spawn-raw.mjs', { file: 'sh', args: ['-c', 'true'] }], ['spawn-raw.mjs', { file: 'true' }], ['execa.mjs', {}], ['zx.mjs', {}], ['statebox.mjs', {}]] as const;
    for (const [peer, params] of peers) expect([peer, (await runOnce(peer, 'shell', { n: 3, expect: 3, ...params })).counts]).toEqual([peer, [3]]);
  });

  it('report their phases: arq parse, check and run; statebox parse and run; node-red deploy and run', { timeout: 60_000 }, async () => {
    expect(Object.keys((await runOnce('arq.mjs', 'chain', { n: 5 })).phases)).toEqual(['parse', 'check', 'run']);
    expect(Object.keys((await runOnce('statebox.mjs', 'chain', { n: 5 })).phases)).toEqual(['parse', 'run']);
    expect(Object.keys((await runOnce('node-red.mjs', 'chain', { n: 5 })).phases)).toEqual(['deploy', 'run']);
  });
});

describe('a peer that fails', () => {
  it('is reported as a stack overflow when it overflows its stack', async () => {
    expect(await failureOf('overflow')).toEqual({ reason: 'stack overflow', message: 'stack overflow: RangeError: Maximum call stack size exceeded' });
  });

  it('is reported as never ended when its run stalls with nothing left to run', async () => {
    expect(await failureOf('stall')).toEqual({ reason: 'never ended', message: 'never ended: the run stalled: no work left, and its end never came (its first run had not ended)' });
  });

  it('is killed and reported as timed out after its time budget, with the runs that had ended', async () => {
    expect(await failureOf('hang', 1500)).toEqual({ reason: 'timed out after 1.5 s (its first run had not ended)', message: 'timed out after 1.5 s (its first run had not ended)' });
    const second = await failureOf('hangSecond', 1500);
    expect(second.reason).toMatch(/^timed out after 1\.5 s \(1 run had ended: \d+\.\d s\)$/);
  });

  it('is reported as bpmn-engine is at 1,000 steps: a stack overflow in a chain, a fan-out that never ends', { timeout: 60_000 }, async () => {
    const script = (task: string) => `import(${JSON.stringify(join(ROOT, 'bench', 'lib', 'measure.mjs'))}).then(async ({ measureInChild }) => {
      try { await measureInChild({ peer: 'peers/bpmn-engine.mjs', task: '${task}', params: { n: 1000, expect: 1000 }, warmup: 0, runs: 1, timeoutMs: 50000 }); console.log('{}'); }
      catch (error) { console.log(JSON.stringify({ reason: error.reason })); }
    });`;
    expect(JSON.parse((await node(['--input-type=module', '-e', script('chain')])).stdout)).toEqual({ reason: 'stack overflow' });
    expect(JSON.parse((await node(['--input-type=module', '-e', script('fanout')])).stdout)).toEqual({ reason: 'never ended' });
  });
});
