/**
 * One workflow's scheduled runs: at most one at a time. A firing that comes while a run is going
 * is skipped, queued, or cancels that run, as its entry's `overlap:` says; caught-up firings wait
 * their turn in order. The lane outlives reloads of its workflow, so an edit never lets two runs
 * of one workflow overlap.
 */
import type { ScheduleSpec, TriggerReason } from '../model/schedule.js';
import type { ScheduledWorkflow } from './catalog.js';
import type { ChildEnd, ChildRun } from './child.js';

/** A firing: which version of which entry, planned for when, and why it runs. */
export interface Firing {
  readonly workflow: ScheduledWorkflow;
  readonly spec: ScheduleSpec;
  /** The planned time (ms); the run may start later (jitter, a queue). */
  readonly planned: number;
  readonly reason: TriggerReason;
}

/** What the lane asks of the scheduler. */
export interface LaneHost {
  start(firing: Firing): ChildRun;
  finished(firing: Firing, run: ChildRun, end: ChildEnd): void;
  /** Logs `message` about the firing's entry (`nightly #1: ...`). */
  note(firing: Firing, message: string): void;
  /** The planned time as the entry's zone reads it. */
  when(firing: Firing): string;
}

/** A queue that grows without end means runs take longer than the schedule allows. */
export const MAX_WAITING = 100;

export class Lane {
  private active?: { readonly firing: Firing; readonly run: ChildRun };
  private readonly waiting: Firing[] = [];
  private closed = false;

  constructor(private readonly host: LaneHost) {}

  /** Whether a run is going or waiting. */
  get busy(): boolean {
    return this.active !== undefined || this.waiting.length > 0;
  }

  /**
   * A firing whose time came: it starts now, or as its entry's overlap policy says.
   *
   * @example
   * lane.offer({ workflow, spec, planned: Date.now(), reason: 'cron' });
   */
  offer(firing: Firing): void {
    if (this.closed) return;
    if (!this.busy) return this.start(firing);
    const policy = firing.spec.overlap;
    if (policy === 'skip') return this.host.note(firing, `skipped ${this.host.when(firing)}: ${this.busyReason()} (overlap: skip)`);
    if (policy === 'queue') return this.enqueue(firing, 'overlap: queue');
    this.replace(firing);
  }

  /** A missed firing caught up: it waits for the runs before it, whatever the overlap policy. */
  catchUp(firing: Firing): void {
    if (this.closed) return;
    if (!this.busy) return this.start(firing);
    this.enqueue(firing, 'catch-up');
  }

  /** No more runs start; those waiting are dropped. Returns the run still going, if any. */
  close(): ChildRun | undefined {
    this.closed = true;
    for (const dropped of this.waiting.splice(0)) this.host.note(dropped, `dropped ${this.host.when(dropped)}: the scheduler is stopping`);
    return this.active?.run;
  }

  private busyReason(): string {
    const waiting = this.waiting.length ? `${this.waiting.length} waiting` : '';
    if (!this.active) return `${waiting} before it`;
    return `run ${this.active.run.job.runId} is still running${waiting ? `, ${waiting}` : ''}`;
  }

  private enqueue(firing: Firing, why: string): void {
    if (this.waiting.length >= MAX_WAITING) {
      return this.host.note(firing, `dropped ${this.host.when(firing)}: ${MAX_WAITING} firings are already waiting (${why})`);
    }
    this.host.note(firing, `queued ${this.host.when(firing)}: ${this.busyReason()} (${why})`);
    this.waiting.push(firing);
  }

  private replace(firing: Firing): void {
    for (const dropped of this.waiting.splice(0)) {
      this.host.note(dropped, `dropped ${this.host.when(dropped)}: ${this.host.when(firing)} fired after it (overlap: cancel_previous)`);
    }
    this.waiting.push(firing);
    // A run already being cancelled (its finally: steps may take a while) is not cancelled twice.
    if (!this.active || this.active.run.cancelled) return;
    this.host.note(firing, `cancelling run ${this.active.run.job.runId}: ${this.host.when(firing)} fired (overlap: cancel_previous)`);
    this.active.run.cancel();
  }

  private start(firing: Firing): void {
    const run = this.host.start(firing);
    this.active = { firing, run };
    void run.done.then((end) => {
      this.active = undefined;
      this.host.finished(firing, run, end);
      const next = this.closed ? undefined : this.waiting.shift();
      if (next) this.start(next);
    });
  }
}
