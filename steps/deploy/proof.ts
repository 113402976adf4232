/**
 * Proof that a split is live. `nginx -s reload` can exit 0 without applying the new config, and
 * old workers go on serving the old weights for a while after it returns; so a split counts only
 * once `consecutive` probes in a row, each on a new connection, were answered with its revision
 * (and, for an all-A or all-B split, by that side), before the deadline.
 *
 * @example
 * const proof = await proveLive({ url, revision: 4, upstream: '127.0.0.1:8001', consecutive: 10, deadlineMs: 10000 }, signal);
 * if (!proof.live) throw new Error(describeUnproven(proof, 4));
 */
import { setTimeout as delay } from 'node:timers/promises';
import { probeOnce, type ProbeAnswer } from './probe-client.js';

export interface ProofSpec {
  readonly url: URL;
  readonly revision: number;
  /** host:port every answer must come from (a split that sends all traffic to one side). */
  readonly upstream?: string;
  readonly consecutive: number;
  readonly deadlineMs: number;
}

export interface Proof {
  readonly live: boolean;
  /** Epoch milliseconds of the answer that completed the proof. */
  readonly live_at: number | null;
  readonly probes: readonly ProbeAnswer[];
  /** How many answers carried each revision (`none` for answers without the header). */
  readonly revisions_seen: Readonly<Record<string, number>>;
  /** Connections that failed without an answer (resets during a reload are expected). */
  readonly failed_connections: number;
}

/** Pause after an answer that does not count yet. */
const MISS_PAUSE_MS = 10;
/** A probe still waiting for its answer after this long does not hold the next one back. */
const PROBE_SPACING_MS = 20;
/** Probes waiting for an answer at once, at most (an old worker may hand one to a slow B). */
const MAX_IN_FLIGHT = 4;
/** A probe without an answer after this long is a failed connection. */
const PROBE_TIMEOUT_MS = 2000;
/** Upper bound of probes, whatever the deadline. */
const MAX_PROBES = 5000;

function counts(spec: ProofSpec, answer: ProbeAnswer | undefined): boolean {
  return answer !== undefined && answer.revision === String(spec.revision) && (spec.upstream === undefined || answer.upstream === null || answer.upstream === spec.upstream);
}

/** When `consecutive` probes in a row (in the order they were sent) have all counted: the last of their answers. */
function provenAt(answers: readonly (ProbeAnswer | undefined)[], spec: ProofSpec): number | null {
  let streak = 0;
  for (let i = 0; i < answers.length; i++) {
    streak = counts(spec, answers[i]) ? streak + 1 : 0;
    if (streak >= spec.consecutive) return Math.max(...answers.slice(i - streak + 1, i + 1).map((a) => a!.at));
  }
  return null;
}

/**
 * Probes until the revision is proven live or the deadline passes; stops early when `signal`
 * fires. A probe that an old worker handed to a slow upstream does not hold the proof up: the
 * next probe leaves after PROBE_SPACING_MS, and the streak is counted in the order probes left.
 */
export async function proveLive(spec: ProofSpec, signal: AbortSignal): Promise<Proof> {
  const done = new AbortController();
  const probeSignal = AbortSignal.any([signal, done.signal]);
  const answers: (ProbeAnswer | undefined)[] = [];
  const inFlight = new Set<Promise<void>>();
  const deadline = performance.now() + spec.deadlineMs;
  let liveAt: number | null = null;
  for (let i = 0; i < MAX_PROBES && liveAt === null && performance.now() < deadline && !signal.aborted; i++) {
    const probe = probeOnce(spec.url, 'proof', PROBE_TIMEOUT_MS, probeSignal).then((answer) => {
      if (done.signal.aborted) return;
      answers[i] = answer;
      liveAt = provenAt(answers, spec);
    });
    inFlight.add(probe);
    void probe.finally(() => inFlight.delete(probe));
    await Promise.race([probe, delay(PROBE_SPACING_MS)]);
    // An answer from the old revision: the reload is in progress, do not hammer nginx meanwhile.
    if (answers[i] && !counts(spec, answers[i])) await delay(MISS_PAUSE_MS, undefined, { signal }).catch(() => undefined);
    for (let waits = 0; inFlight.size >= MAX_IN_FLIGHT && waits < MAX_IN_FLIGHT; waits++) await Promise.race(inFlight);
  }
  // Probes still on their way when the proof ends (proven, or out of time) are dropped, not failures.
  done.abort();
  await Promise.allSettled(inFlight);
  return summarise(answers.filter((a): a is ProbeAnswer => a !== undefined), liveAt);
}

function summarise(probes: readonly ProbeAnswer[], liveAt: number | null): Proof {
  const revisions: Record<string, number> = {};
  for (const p of probes) if (p.status !== null) revisions[p.revision ?? 'none'] = (revisions[p.revision ?? 'none'] ?? 0) + 1;
  return { live: liveAt !== null, live_at: liveAt, probes, revisions_seen: revisions, failed_connections: probes.filter((p) => p.failure).length };
}

/** Why a proof failed, in a sentence: what the answers carried instead. */
export function describeUnproven(proof: Proof, spec: Pick<ProofSpec, 'revision' | 'deadlineMs' | 'upstream'>): string {
  const seen = Object.entries(proof.revisions_seen).map(([rev, n]) => (rev === 'none' ? `${n} without an X-Arq-Revision header` : `${n} with revision ${rev}`));
  const answered = seen.length ? seen.join(', ') : 'no answer';
  const failed = proof.failed_connections ? `, ${proof.failed_connections} failed connections` : '';
  const side = spec.upstream ? ` from ${spec.upstream}` : '';
  return `revision ${spec.revision} is not live: the reload was not applied within ${spec.deadlineMs} ms (${proof.probes.length} probes: ${answered}${failed}; needed answers${side} with revision ${spec.revision})`;
}
