/**
 * The markdown report of a bench run (printed, and written to bench/results.md): arq against
 * each peer per shape and size (the comparison tables), every row in full, then the targets.
 */
import { versus } from './targets.mjs';

const ms = (v) => (v === undefined ? '' : v >= 100 ? `${Math.round(v)}` : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const perUnit = (v) => (v === undefined ? '' : v < 1 ? `${Math.round(v * 1000)} µs` : `${v.toFixed(2)} ms`);
const mib = (v) => (v === undefined ? '' : `${Math.round(v)} MiB`);
const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
const size = (row) => (row.size === undefined ? '' : row.size.toLocaleString('en'));

function phaseCell(row) {
  const p = row.phases ?? {};
  return Object.keys(p).map((n) => `${n} ${ms(p[n].median)}`).join(' · ');
}

/** One cell of a comparison table: the median and per-step cost, and how arq compares. */
function comparisonCell(row, arq) {
  if (!row) return '';
  if (row.skipped) return 'not run';
  if (row.failed || row.error) return `**${cell((row.failed ?? 'failed').split(':')[0])}**`;
  const own = `${ms(row.median)} ms (${perUnit(row.perUnitMs)}/step)`;
  if (row === arq) return own;
  return arq?.median === undefined ? own : `${own}: ${versus(arq, row)}`;
}

/** Per scenario of several implementations side by side: a line per size, a column per implementation. */
function comparisonTables(results) {
  const lines = [];
  for (const scenario of results.scenarios) {
    const columns = [...new Set(scenario.rows.filter((r) => r.column).map((r) => r.column))];
    if (columns.length < 2) continue;
    const sizes = [...new Set(scenario.rows.filter((r) => r.column).map((r) => r.size))];
    lines.push(`### ${scenario.title}`, '');
    lines.push(`| N | ${columns.map(cell).join(' | ')} |`, `|---:|${columns.map(() => '---').join('|')}|`);
    for (const n of sizes) {
      const at = (column) => scenario.rows.find((r) => r.size === n && r.column === column);
      const arq = at('arq');
      lines.push(`| ${n.toLocaleString('en')} | ${columns.map((c) => comparisonCell(at(c), arq)).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines;
}

function fullTable(results) {
  const lines = [];
  lines.push('| Scenario | N | Implementation | Median | Min | Max | CPU | × arq | Per step | Phases (median ms) | 1st run | Peak RSS | Notes |');
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|');
  for (const scenario of results.scenarios) {
    for (const row of scenario.rows) {
      const head = `| ${cell(scenario.title)} | ${size(row)} | ${cell(row.impl)} |`;
      if (row.skipped) lines.push(`${head} — | — | — | | | — | | | | ${cell(row.skipped)} |`);
      else if (row.failed || row.error) lines.push(`${head} — | — | — | | | — | | | | ${row.error ? 'FAILED: ' : ''}${cell((row.failed ?? row.error).slice(0, 240))} |`);
      else {
        const notes = row.warnings ? cell(`stderr: ${row.warnings.split('\n')[0].slice(0, 140)}`) : '';
        const vs = row.vsRef === undefined ? '' : row.vsRef === 'ref' ? 'ref' : `${row.vsRef.toFixed(2)}×`;
        lines.push(`${head} ${ms(row.median)} | ${ms(row.min)} | ${ms(row.max)} | ${ms(row.cpu?.median)} | ${vs} | ${perUnit(row.perUnitMs)} | ${phaseCell(row)} | ${ms(row.warmups?.[0])} | ${mib(row.maxRssMiB)} | ${notes} |`);
      }
    }
  }
  return lines;
}

function targetTable(results) {
  const lines = ['| Target | Measured | Limit | Result | Detail |', '|---|---:|---:|---|---|'];
  for (const t of results.targets) {
    const result = t.skipped ? 'not measured' : t.info ? 'no target' : t.pass ? '**PASS**' : '**MISS**';
    lines.push(`| ${cell(t.name)} | ${cell(t.shown ?? '—')} | ${cell(t.limit)} | ${result} | ${cell(t.detail ?? '')} |`);
  }
  return lines;
}

export function renderMarkdown(results) {
  const { machine: m, method } = results;
  const versions = Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${[
    '# arq benchmarks', '',
    `${results.date} · node ${m.node} · ${m.platform} · ${m.cores} × ${m.cpu} · ${m.memoryGiB} GiB · load avg before ${m.loadavgBefore.map((x) => x.toFixed(2)).join('/')}, after ${m.loadavgAfter.map((x) => x.toFixed(2)).join('/')} · ${results.totalSeconds.toFixed(0)} s in all`, '',
    `Versions: ${versions}.`, '',
    `Times in ms: median of ${method.runs} runs in ${method.rounds} rounds: in each round every row of a size runs in turn, in a fresh node process, up to ${method.warmup} warm-up runs (1 when a run takes over 2 s) then its share of the measured runs, so that a busy minute on a shared machine falls on all the rows compared; each implementation reads its own declarative format (arq YAML, ASL JSON, node-red flow JSON, BPMN XML) as part of every run. A peer row that overflows its stack, never ends or takes over its time budget is reported as such, never measured further. CPU = user+system time of the process during a run (GC threads included; wall ≫ CPU means waiting, e.g. on children or a busy machine); CLI rows: median of ${method.cliRuns} whole processes, after 2 warm-up ones each round. "× arq" divides by arq's row of the same size (journal and CLI rows: by the row marked ref); "1st run" is the first (warm-up) run of the row's process, before the JIT is warm; phases are medians too; peak RSS is the process's maxRSS over all its runs.`, '',
    '## arq against each peer', '',
    ...comparisonTables(results),
    '## Every row', '',
    ...fullTable(results), '',
    '## Targets', '',
    ...targetTable(results), '',
  ].join('\n')}`;
}
