/**
 * Each scheduled run is a child process (`arq schedule-run`, reading its job on stdin) that records
 * the run exactly as `arq run` does. The scheduler itself never loads the runner, xstate or a step
 * family, and whatever a run loads (a browser driver, an LLM client) goes away with the run.
 * Children get a process group of their own, so a Ctrl-C in the scheduler's terminal reaches the
 * scheduler alone: it decides when runs are cancelled (SIGTERM: a clean cancel, finally: steps
 * run) or killed (SIGINT after that: every process at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RunTrigger } from '../model/schedule.js';

/** What a child run is told. */
export interface ScheduledJob {
  /** The workflow file, absolute; `text` is the version of it that the scheduler checked. */
  readonly file: string;
  readonly text: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly trigger: RunTrigger;
  readonly runId: string;
  readonly stateDir: string;
  readonly workdir: string;
  readonly secretsFile?: string;
}

/** How a child run ended: its exit code (0, 1, 130; 2 when it was refused before it started). */
export interface ChildEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The end of what it wrote to stderr: why a refused run was refused. */
  readonly stderr: string;
}

const STDERR_KEPT = 4096;

/** A run in its child process. */
export class ChildRun {
  readonly done: Promise<ChildEnd>;
  private readonly child: ChildProcess;
  /** Whether a cancel was asked for. */
  cancelled = false;
  /** Whether the child has exited. */
  ended = false;

  /**
   * Starts `node CLI schedule-run` with the job on stdin.
   *
   * @example
   * const run = new ChildRun(process.argv[1], job);
   * const { code } = await run.done;
   */
  constructor(cli: string, readonly job: ScheduledJob) {
    this.child = spawn(process.execPath, [cli, 'schedule-run'], { cwd: job.workdir, detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
    live.add(this);
    let stderr = '';
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEPT)));
    this.child.stdin!.on('error', () => undefined).end(JSON.stringify(job));
    this.done = new Promise((resolve) => {
      this.child.on('error', (error) => resolve({ code: null, signal: null, stderr: error.message }));
      this.child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    }).then((end) => {
      this.ended = true;
      live.delete(this);
      return end as ChildEnd;
    });
  }

  /** A clean cancel: the run stops its steps, runs its finally: steps and ends `cancelled`. */
  cancel(): void {
    this.cancelled = true;
    this.signal('SIGTERM');
  }

  /** Every process of the run at once (after a cancel, SIGINT is the runner's "kill now"). */
  kill(): void {
    if (!this.cancelled) this.cancel();
    this.signal('SIGINT');
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.child.kill(signal);
    } catch {
      // already gone
    }
  }
}

const live = new Set<ChildRun>();

/** Cancels every run still going: for a scheduler that exits without its orderly shutdown. */
export function cancelAllRuns(): void {
  for (const run of live) run.cancel();
}
