/**
 * The cost of the journal (issue 3): the same runs through runWorkflow without a recorder, and
 * with the recorder `arq run` uses (RunRecorder: journal.jsonl appended and fsynced per event,
 * run.json written atomically at start and end, step logs, lock) writing to a state directory
 * under os.tmpdir(), a new run folder each run (bench/peers/arq.mjs, task `journal`). Each
 * recorded row's "× ref" is against its bare row. The workflow is checked once, outside the
 * measured runs: the times are the run itself (+ the recorder's open and close).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';

const chainN = 1000;
const shellN = 200;

/** The filesystem os.tmpdir() is on (the longest mount point containing it), e.g. "ext4". */
function tmpFilesystem() {
  try {
    const dir = realpathSync(tmpdir());
    const mounts = readFileSync('/proc/mounts', 'utf8').trim().split('\n').map((line) => line.split(' '));
    const inside = mounts.filter(([, point]) => dir === point || dir.startsWith(point.endsWith('/') ? point : `${point}/`));
    const best = inside.sort((a, b) => b[1].length - a[1].length)[0];
    return best ? `${dir}, ${best[2]}` : dir;
  } catch {
    return tmpdir();
  }
}
const where = tmpFilesystem();

const added = (rows, recorded, bare) => rows[recorded].median / rows[bare].median - 1;
const pct = (x) => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;
const perStepUs = (rows, recorded, bare, n) => `${Math.round(((rows[recorded].median - rows[bare].median) / n) * 1000)} µs`;

/** "The journal adds under limit to ...": the recorded row's median over the bare row's. */
function journalTarget({ name, recorded, bare, n, limit, detail }) {
  return (rows) => {
    const shownLimit = limit === undefined ? '—' : `< ${pct(limit)}`;
    if (!rows[recorded] || !rows[bare]) return { name, limit: shownLimit, skipped: true };
    const value = added(rows, recorded, bare);
    const base = `${Math.round(rows[recorded].median)} ms vs ${Math.round(rows[bare].median)} ms (${(value + 1).toFixed(2)}x); ${perStepUs(rows, recorded, bare, n)} more per step`;
    return {
      name, value, shown: pct(value), limit: shownLimit,
      ...(limit === undefined ? { info: true } : { pass: value < limit }),
      detail: [base, detail?.(rows)].filter(Boolean).join('; '),
    };
  };
}

export default {
  id: 'journal',
  title: 'The journal: runWorkflow without vs with the state directory',
  rows: [
    { id: 'chain-bare', impl: `arq: chain of ${chainN.toLocaleString('en')} uses: noop, no recorder`, peer: 'peers/arq.mjs', task: 'journal', params: { shape: 'chain', n: chainN, record: false, expect: chainN }, units: chainN, ref: 'chain-bare' },
    { id: 'chain-journal', impl: `arq: chain of ${chainN.toLocaleString('en')} uses: noop, recorded (state dir in ${where})`, peer: 'peers/arq.mjs', task: 'journal', params: { shape: 'chain', n: chainN, record: true, expect: chainN }, units: chainN, ref: 'chain-bare' },
    { id: 'shell-bare', impl: `arq: ${shellN} × run: "true", no recorder`, peer: 'peers/arq.mjs', task: 'journal', params: { shape: 'shell', n: shellN, record: false, expect: shellN }, units: shellN, ref: 'shell-bare' },
    { id: 'shell-journal', impl: `arq: ${shellN} × run: "true", recorded (state dir in ${where})`, peer: 'peers/arq.mjs', task: 'journal', params: { shape: 'shell', n: shellN, record: true, expect: shellN }, units: shellN, ref: 'shell-bare' },
  ],
  targets: [
    journalTarget({
      name: `the journal adds under 30% to shell-step workflows (${shellN} × run: "true")`,
      recorded: 'journal/shell-journal', bare: 'journal/shell-bare', n: shellN, limit: 0.3,
      detail: (rows) => `CPU ${Math.round(rows['journal/shell-journal'].cpu.median)} vs ${Math.round(rows['journal/shell-bare'].cpu.median)} ms`,
    }),
    journalTarget({
      name: `the journal on a chain of ${chainN.toLocaleString('en')} no-op steps (no target: the worst case, steps that do nothing)`,
      recorded: 'journal/chain-journal', bare: 'journal/chain-bare', n: chainN,
      detail: (rows) => `CPU ${Math.round(rows['journal/chain-journal'].cpu.median)} vs ${Math.round(rows['journal/chain-bare'].cpu.median)} ms`,
    }),
  ],
};
