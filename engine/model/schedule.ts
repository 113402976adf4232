/** A workflow's `on: { schedule: [...] }` entries, checked: what `arq schedule` runs and when. */

/** What a firing does while a run of the same workflow is still going. */
export type OverlapPolicy = 'skip' | 'queue' | 'cancel_previous';

/** Which firings missed while the scheduler was down (or asleep) are run when it is back. */
export type CatchUpPolicy = 'none' | 'last' | 'all';

/** One checked schedule entry. */
export interface ScheduleSpec {
  /** The entry's place in `on.schedule`, from 1: `#1` in logs and in the run history. */
  readonly entry: number;
  /** The cron line as written: 5 fields, or 6 with seconds first, or a nickname (`@daily`). */
  readonly cron: string;
  /** The IANA time zone as written; absent means the machine's zone. */
  readonly timezone?: string;
  /** Inputs for the runs this entry starts. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly overlap: OverlapPolicy;
  readonly catchUp: CatchUpPolicy;
  /** How far back missed firings are caught up; absent: back to the entry's last recorded run. */
  readonly catchUpWindowMs?: number;
  /** Each run starts after a random delay in [0, jitterMs). */
  readonly jitterMs: number;
}

/** Why a scheduled run started: its time came, or it was missed and is caught up. */
export type TriggerReason = 'cron' | 'catch_up';

/** What the run history keeps of a scheduled run's trigger (run.json `trigger`). */
export interface RunTrigger {
  readonly type: 'schedule';
  readonly entry: number;
  readonly cron: string;
  /** The zone the cron line was read in (the machine's, named, when the entry gives none). */
  readonly timezone: string;
  /** The firing's planned time, ISO 8601 in UTC; jitter and waiting in a queue come after it. */
  readonly planned_at: string;
  readonly reason: TriggerReason;
}
