/** What a run reports as it goes: the reporters (progress, plain lines, --json) read these. */
import type { StepStatus } from './scope.js';

export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

export type RunEvent =
  | { type: 'run.started'; run: string; workflow: string; time: number; inputs: Record<string, unknown>; resumed?: boolean; rehearse?: boolean }
  | { type: 'step.started'; run: string; step: string; label: string; attempt: number; time: number; item?: number; items?: number[]; deadline?: number }
  | { type: 'step.log'; run: string; step: string; stream: 'stdout' | 'stderr' | 'info'; line: string; time: number; item?: number }
  | { type: 'step.retrying'; run: string; step: string; attempt: number; delay_ms: number; error: string; time: number; item?: number; items?: number[] }
  | {
      type: 'step.finished'; run: string; step: string; label: string; status: StepStatus; time: number;
      duration_ms: number; attempts: number; error?: string; outputs?: unknown; item?: number; items?: number[]; continued?: boolean;
      /** Taken from the journal of an earlier attempt at the run (arq resume), not run again. */
      replayed?: boolean;
      /** The outputs held a secret and are shown masked (a resume runs the step again). */
      masked?: boolean;
    }
  /** Something went wrong outside any step (a run-scoped resource that could not be released). */
  | { type: 'run.warning'; run: string; time: number; message: string }
  | { type: 'run.finished'; run: string; workflow: string; status: RunStatus; time: number; duration_ms: number; outputs?: unknown; error?: string };

export type EventSink = (event: RunEvent) => void;
