/**
 * The scheduler: loads the scheduled workflows under its folders, arms a clock per entry, hands
 * each firing to its workflow's lane (overlap), catches up missed firings from the run history,
 * reloads a file when it changes (an invalid edit keeps the previous version), logs every decision
 * with its reason, and stops with a grace period for the runs still going.
 */
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { formatProblem, sortProblems } from '../errors.js';
import { formatDuration } from '../model/duration.js';
import type { ScheduleSpec } from '../model/schedule.js';
import { findWorkflowFiles, shownPath, type ScheduledWorkflow } from './catalog.js';
import { checkInChild, type Checked } from './check-child.js';
import { planCatchUp, type NotCaughtUp } from './catch-up.js';
import type { ChildRun } from './child.js';
import { EntryClock, MAX_DUE } from './clock.js';
import { firingsOf, type Firings } from './firings.js';
import { entryKey, lastPlannedRuns } from './history.js';
import { Lane, type Firing } from './lane.js';
import { RunStarter, type StarterOptions } from './starter.js';
import { FolderWatch } from './watch.js';
import type { Zone } from './zone.js';

/** A firing later than this is missed rather than late: the machine slept, or the clock jumped. */
const LATE_LIMIT_MS = 60_000;

export interface SchedulerOptions extends StarterOptions {
  /** Folders (or files) of workflows. */
  readonly paths: readonly string[];
}

interface Entry {
  readonly spec: ScheduleSpec;
  readonly firings: Firings;
  readonly clock: EntryClock;
}

interface Loaded {
  readonly workflow: ScheduledWorkflow;
  readonly entries: readonly Entry[];
}

/** How stopping is hurried: a second signal ends the grace period, a third kills the runs. */
export interface Hurry {
  readonly cancelNow: Promise<unknown>;
  readonly killNow: Promise<unknown>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `5 firings (2026-03-29T01:00:00+01:00 to 2026-03-29T05:00:00+02:00)`, `earlier firings`. */
function describeMissed(zone: Zone, missed: NotCaughtUp): string {
  const { firings } = missed;
  if (!firings.length) return 'earlier firings';
  const span = `${zone.iso(firings[0]! / 1000)} to ${zone.iso(firings.at(-1)! / 1000)}`;
  return `${plural(firings.length, 'firing')}${missed.more ? ' and earlier ones' : ''} (${span})`;
}

export class Scheduler {
  private readonly loaded = new Map<string, Loaded>();
  private readonly lanes = new Map<string, Lane>();
  private readonly jitters = new Map<NodeJS.Timeout, Firing>();
  private readonly changes = new Map<string, Promise<void>>();
  /** Files whose last edit did not check. */
  private readonly broken = new Set<string>();
  private watch?: FolderWatch;
  private stopping = false;
  private readonly runs: RunStarter;

  constructor(private readonly options: SchedulerOptions) {
    this.runs = new RunStarter(options);
  }

  /**
   * Loads every scheduled workflow, catches up what the history says was missed, and waits.
   *
   * @example
   * const scheduler = new Scheduler({ paths: ['pipelines'], stateDir, workdir, cli: process.argv[1]!, log: streamLog(process.stdout) });
   * await scheduler.start();
   */
  async start(): Promise<void> {
    const files = findWorkflowFiles(this.options.paths, [this.options.stateDir]);
    this.watch = new FolderWatch(this.options.paths, (file) => this.changed(file), [this.options.stateDir], this.options.log);
    const checked = await checkInChild(this.options.cli, files);
    const history = lastPlannedRuns(this.options.stateDir);
    for (const one of checked) this.apply(one, history);
    const entries = [...this.loaded.values()].reduce((n, l) => n + l.entries.length, 0);
    const paths = this.options.paths.join(', ');
    this.options.log(`arq schedule: watching ${paths} (${plural(this.loaded.size, 'workflow')}, ${plural(entries, 'schedule')}); runs are recorded in ${this.options.stateDir}`);
  }

  /** Reads every file again (SIGHUP): new ones are added, changed ones reloaded, removed ones stopped. */
  rescan(): void {
    let found: string[];
    try {
      found = findWorkflowFiles(this.options.paths, [this.options.stateDir]);
    } catch (error) {
      return this.options.log(`cannot read the folders again: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const file of new Set([...found, ...this.loaded.keys()])) this.changed(file);
  }

  /** One change at a time per file, in the order they came. */
  private changed(path: string): void {
    const previous = this.changes.get(path) ?? Promise.resolve();
    const next = previous.then(() => this.reconsider(path)).catch((error: unknown) => this.options.log(`${shownPath(path)}: ${error instanceof Error ? error.message : String(error)}`));
    this.changes.set(path, next);
    void next.then(() => this.changes.get(path) === next && this.changes.delete(path));
  }

  private async reconsider(path: string): Promise<void> {
    if (this.stopping) return;
    if (!existsSync(path)) return this.removeUnder(path);
    const [checked] = await checkInChild(this.options.cli, [path]);
    if (!this.stopping) this.apply(checked!);
  }

  /** Schedules a checked file, reloads it, or says why not; `history` means catch up (start-up). */
  private apply(checked: Checked, history?: ReadonlyMap<string, number>): void {
    const current = this.loaded.get(checked.file);
    if (checked.problems || checked.error) return this.rejected(checked, current);
    const wasBroken = this.broken.delete(checked.file);
    const next = checked.workflow;
    if (!next) return current ? this.remove(current, `${current.workflow.shown} no longer has a schedule`) : undefined;
    if (current?.workflow.textHash === next.textHash) {
      if (wasBroken) this.options.log(`${next.shown}: valid again, as the version that kept running`);
      return;
    }
    // A workflow seen for the first time is caught up, as at start-up; a reloaded one is not.
    this.install(next, current, history ?? (current ? undefined : lastPlannedRuns(this.options.stateDir)));
  }

  private rejected(checked: Checked, current: Loaded | undefined): void {
    this.broken.add(checked.file);
    const what = current ? 'invalid edit, not loaded; the previous version keeps running' : 'not scheduled: it has problems';
    this.options.log(`${shownPath(checked.file)}: ${what}`);
    if (checked.error) this.options.log(`  cannot check it: ${checked.error}`);
    for (const problem of sortProblems(checked.problems ?? [])) this.options.log(`  ${formatProblem(problem)}`);
  }

  private install(workflow: ScheduledWorkflow, current: Loaded | undefined, history?: ReadonlyMap<string, number>): void {
    for (const entry of current?.entries ?? []) entry.clock.stop();
    if (!this.lanes.has(workflow.file)) this.lanes.set(workflow.file, new Lane(this.runs));
    const now = Date.now();
    const entries = workflow.schedules.map((spec) => this.entryOf(workflow, spec));
    this.loaded.set(workflow.file, { workflow, entries });
    this.options.log(`${workflow.name}: ${current ? 'reloaded' : 'loaded'} ${workflow.shown} (${plural(entries.length, 'schedule')})`);
    for (const entry of entries) {
      entry.clock.start(now);
      const next = entry.clock.nextFiring;
      this.options.log(`${workflow.name} #${entry.spec.entry}: "${entry.spec.cron}" in ${entry.firings.zone.name}; next ${next === undefined ? 'never' : entry.firings.zone.iso(next / 1000)}`);
      if (history) this.catchUpAtStart(workflow, entry, history, now);
    }
  }

  private entryOf(workflow: ScheduledWorkflow, spec: ScheduleSpec): Entry {
    const firings = firingsOf(spec);
    return { spec, firings, clock: new EntryClock(firings, (due, more) => this.due(workflow, spec, due, more)) };
  }

  private remove(loaded: Loaded, why: string): void {
    for (const entry of loaded.entries) entry.clock.stop();
    this.loaded.delete(loaded.workflow.file);
    this.options.log(`${loaded.workflow.name}: ${why}; its schedules are stopped`);
  }

  /** A file, or a folder, that is gone: every workflow in it stops. */
  private removeUnder(path: string): void {
    for (const [file, loaded] of [...this.loaded]) {
      if (file === path || file.startsWith(`${path}${sep}`)) this.remove(loaded, `${loaded.workflow.shown} was removed`);
    }
  }

  /** Firings whose time came: those at most a minute late fire, in order; older ones were missed. */
  private due(workflow: ScheduledWorkflow, spec: ScheduleSpec, due: number[], more: boolean): void {
    if (this.stopping) return;
    const now = Date.now();
    const live = due.filter((t) => now - t <= LATE_LIMIT_MS);
    const missed = due.filter((t) => now - t > LATE_LIMIT_MS);
    if (missed.length || more) this.catchUp(workflow, spec, missed, more, now, live.length > 0, 'while the scheduler was late (the machine slept, or was busy)');
    for (const planned of live) this.fire({ workflow, spec, planned, reason: 'cron' });
  }

  private catchUpAtStart(workflow: ScheduledWorkflow, entry: Entry, history: ReadonlyMap<string, number>, now: number): void {
    const last = history.get(entryKey(workflow.file, entry.spec.entry));
    if (last === undefined) return;
    const { firings, more } = entry.firings.recent(last, now, MAX_DUE);
    if (firings.length) this.catchUp(workflow, entry.spec, firings.reverse(), more, now, false, 'while the scheduler was down');
  }

  private catchUp(workflow: ScheduledWorkflow, spec: ScheduleSpec, missed: number[], more: boolean, now: number, liveFollows: boolean, why: string): void {
    const plan = planCatchUp(spec, missed, more, now, liveFollows);
    const zone = firingsOf(spec).zone;
    for (const notRun of plan.notRun) this.options.log(`${workflow.name} #${spec.entry}: not run: ${describeMissed(zone, notRun)} missed ${why} (${notRun.reason})`);
    for (const planned of plan.run) {
      const firing: Firing = { workflow, spec, planned, reason: 'catch_up' };
      this.runs.note(firing, `catching up ${this.runs.when(firing)}: missed ${why} (catch_up: ${spec.catchUp})`);
      this.lanes.get(workflow.file)!.catchUp(firing);
    }
  }

  /** A firing on time: after its jitter, offered to its lane. */
  private fire(firing: Firing): void {
    const lane = this.lanes.get(firing.workflow.file)!;
    if (!firing.spec.jitterMs) return lane.offer(firing);
    const delay = Math.floor(Math.random() * firing.spec.jitterMs);
    this.runs.note(firing, `${this.runs.when(firing)}: starting in ${formatDuration(delay)} (jitter)`);
    const timer = setTimeout(() => {
      this.jitters.delete(timer);
      lane.offer(firing);
    }, delay);
    this.jitters.set(timer, firing);
  }

  /** Stops: no more firings; runs still going get `graceMs` to end, then are cancelled and waited for. */
  async shutdown(signal: string, graceMs: number, hurry: Hurry): Promise<void> {
    this.stopping = true;
    this.options.log(`stopping (${signal}): no more firings`);
    this.watch?.close();
    for (const loaded of this.loaded.values()) for (const entry of loaded.entries) entry.clock.stop();
    for (const [timer, firing] of this.jitters) {
      clearTimeout(timer);
      this.runs.note(firing, `not started ${this.runs.when(firing)}: the scheduler is stopping`);
    }
    this.jitters.clear();
    const running = [...this.lanes.values()].flatMap((lane) => lane.close() ?? []);
    if (running.length) {
      this.options.log(`waiting up to ${formatDuration(graceMs)} for ${plural(running.length, 'run')} to end`);
      await this.endRuns(running, graceMs, hurry);
    }
    this.options.log('arq schedule: stopped');
  }

  private async endRuns(running: readonly ChildRun[], graceMs: number, hurry: Hurry): Promise<void> {
    const graceOver = new AbortController();
    await Promise.race([Promise.all(running.map((r) => r.done)), wait(graceMs, undefined, { signal: graceOver.signal }).catch(() => undefined), hurry.cancelNow]);
    graceOver.abort();
    const left = running.filter((r) => !r.ended);
    for (const run of left) {
      this.options.log(`cancelling run ${run.job.runId}: the scheduler is stopping`);
      run.cancel();
    }
    void hurry.killNow.then(() => left.filter((r) => !r.ended).forEach((run) => {
      this.options.log(`killing run ${run.job.runId}: asked to stop at once`);
      run.kill();
    }));
    await Promise.all(left.map((r) => r.done));
  }
}
