/** What the run history says about schedule entries: when each last ran, for catch-up. */
import { listRuns } from '../store/history.js';

/** The key of a schedule entry in the history: its workflow file and its place in `on.schedule`. */
export function entryKey(file: string, entry: number): string {
  return `${file}#${entry}`;
}

/**
 * The planned time of the latest recorded run of each schedule entry, by entryKey. Every recorded
 * run counts, whatever its status: a run that failed or was interrupted was not missed.
 *
 * @example
 * lastPlannedRuns('/srv/arq').get(entryKey('/srv/pipelines/nightly.yaml', 1)); // 1774749600000
 */
export function lastPlannedRuns(stateDir: string): Map<string, number> {
  const last = new Map<string, number>();
  for (const { summary } of listRuns(stateDir)) {
    if (summary.trigger?.type !== 'schedule') continue;
    const key = entryKey(summary.file, summary.trigger.entry);
    const planned = Date.parse(summary.trigger.planned_at);
    if (Number.isFinite(planned) && planned > (last.get(key) ?? -Infinity)) last.set(key, planned);
  }
  return last;
}
