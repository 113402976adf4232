/**
 * Running workflows in tests: write YAML to a private directory, check it, run it, and keep every
 * event it reported (in order) for exact assertions.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { checkWorkflow } from '../../engine/check/workflow.js';
import { parseWorkflowText } from '../../engine/load/load.js';
import type { Workflow } from '../../engine/model/types.js';
import type { RunEvent } from '../../engine/run/events.js';
import { runWorkflow, type RunOptions, type RunResult } from '../../engine/run/run.js';

export type { RunEvent };
export type Finished = Extract<RunEvent, { type: 'step.finished' }>;
export type Started = Extract<RunEvent, { type: 'step.started' }>;

/** A fresh directory (symlinks resolved), removed when the test file ends. */
export function tempDir(prefix = 'arq-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (path relative to `dir` -> text). */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Checks workflow text as if it were the file `dir/name` (sub-workflow paths resolve from there). */
export async function checkText(yaml: string, dir: string, name = 'wf.yaml'): Promise<Workflow> {
  writeFiles(dir, { [name]: yaml });
  return checkWorkflow(parseWorkflowText(yaml, join(dir, name)));
}

export interface Ran {
  readonly result: RunResult;
  readonly events: RunEvent[];
}

/** Checks and runs workflow text in `dir` (also its working directory), collecting every event. */
export async function runText(yaml: string, dir: string, options: RunOptions & { file?: string } = {}): Promise<Ran> {
  const workflow = await checkText(yaml, dir, options.file);
  const events: RunEvent[] = [];
  const onEvent = (event: RunEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  const result = await runWorkflow(workflow, { workdir: dir, env: process.env, ...options, onEvent });
  return { result, events };
}

/** `step:status` (or `step[item]:status`) for each step.finished event, in order. */
export function finishedList(events: readonly RunEvent[]): string[] {
  return finishedEvents(events).map((e) => `${e.step}${e.item === undefined ? '' : `[${e.item}]`}:${e.status}`);
}

export function finishedEvents(events: readonly RunEvent[]): Finished[] {
  return events.filter((e): e is Finished => e.type === 'step.finished');
}

/** The one step.finished event of a step (and item), failing loudly when there is not exactly one. */
export function finishedOf(events: readonly RunEvent[], step: string, item?: number): Finished {
  const found = finishedEvents(events).filter((e) => e.step === step && e.item === item);
  if (found.length !== 1) throw new Error(`expected one step.finished for ${step}${item === undefined ? '' : `[${item}]`}, found ${found.length}`);
  return found[0]!;
}

/** Index in the event list of the first event of `type` for `step` (and item), or -1. */
export function indexOf(events: readonly RunEvent[], type: RunEvent['type'], step: string, item?: number): number {
  return events.findIndex((e) => e.type === type && 'step' in e && e.step === step && ('item' in e ? e.item : undefined) === item);
}

/** The log lines of a step, in order. */
export function logLines(events: readonly RunEvent[], step: string): string[] {
  return events.flatMap((e) => (e.type === 'step.log' && e.step === step ? [e.line] : []));
}

/** The largest number of steps (matching `filter`) running at the same time, from started/finished events. */
export function maxRunning(events: readonly RunEvent[], filter: (e: Started | Finished) => boolean): number {
  let running = 0;
  let max = 0;
  for (const e of events) {
    if (e.type !== 'step.started' && e.type !== 'step.finished') continue;
    if (!filter(e)) continue;
    if (e.type === 'step.started' && e.attempt === 1) max = Math.max(max, ++running);
    if (e.type === 'step.finished' && e.status !== 'skipped') running--;
  }
  return max;
}

/**
 * Writes `wait-for.sh FILE` into `dir`: waits until FILE exists, polling every 10 ms, and fails
 * with exit code 9 after 10 s. Steps synchronise on files with it, never on a fixed sleep.
 */
export function installWaitFor(dir: string): void {
  writeFiles(dir, {
    'wait-for.sh': 'i=0\nwhile [ ! -f "$1" ]; do\n  i=$((i+1))\n  if [ $i -gt 1000 ]; then echo "gave up waiting for $1" >&2; exit 9; fi\n  sleep 0.01\ndone\n',
  });
}
