/** The markdown report of a bench run (printed, and written to bench/results.md). */

const ms = (v) => (v === undefined ? '' : v >= 100 ? `${Math.round(v)}` : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const perUnit = (v) => (v === undefined ? '' : v < 1 ? `${Math.round(v * 1000)} µs` : `${v.toFixed(2)} ms`);
const mib = (v) => (v === undefined ? '' : `${Math.round(v)} MiB`);
const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

function phaseCell(row) {
  const p = row.phases ?? {};
  const names = Object.keys(p);
  if (names.length === 0) return '';
  return names.map((n) => `${n} ${ms(p[n].median)}`).join(' · ');
}

export function renderMarkdown(results) {
  const { machine: m, method } = results;
  const lines = [];
  lines.push('# arq benchmarks', '');
  lines.push(`${results.date} · node ${m.node} · ${m.platform} · ${m.cores} × ${m.cpu} · ${m.memoryGiB} GiB · xstate ${results.versions.xstate} · load avg before ${m.loadavgBefore.map((x) => x.toFixed(2)).join('/')}, after ${m.loadavgAfter.map((x) => x.toFixed(2)).join('/')} · ${results.totalSeconds.toFixed(0)} s in all`);
  lines.push('');
  lines.push(`Times in ms: median of ${method.runs} runs after ${method.warmup} warm-up runs (1 for the cubic parallel-state rows), each row in a fresh node process; CPU = user+system time of the process during a run (GC threads included; wall ≫ CPU means waiting, e.g. on children or a busy machine); CLI rows: median of ${method.cliRuns} whole processes after 2 warm-up ones. "× ref" divides by the scenario's reference row (marked ref); "1st run" is the first (warm-up) run of the row's process, before the JIT is warm; phases are medians too; peak RSS is the process's maxRSS over all its runs.`);
  lines.push('');
  lines.push('| Scenario | Implementation | Median | Min | Max | CPU | × ref | Per step | Phases (median ms) | 1st run | Peak RSS | Notes |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|');
  for (const scenario of results.scenarios) {
    for (const row of scenario.rows) {
      const head = `| ${cell(scenario.title)} | ${cell(row.impl)} |`;
      if (row.skipped) lines.push(`${head} — | — | — | | | — | | | | ${cell(row.skipped)} |`);
      else if (row.error) lines.push(`${head} — | — | — | | | — | | | | FAILED: ${cell(row.error.slice(0, 200))} |`);
      else {
        const notes = row.warnings ? cell(`stderr: ${row.warnings.split('\n')[0].slice(0, 140)}`) : '';
        lines.push(`${head} ${ms(row.median)} | ${ms(row.min)} | ${ms(row.max)} | ${ms(row.cpu?.median)} | ${row.vsRef === undefined ? '' : row.vsRef === 'ref' ? 'ref' : `${row.vsRef.toFixed(2)}×`} | ${perUnit(row.perUnitMs)} | ${phaseCell(row)} | ${ms(row.warmups?.[0])} | ${mib(row.maxRssMiB)} | ${notes} |`);
      }
    }
  }
  lines.push('');
  lines.push('## Targets', '');
  lines.push('| Target | Measured | Limit | Result | Detail |');
  lines.push('|---|---:|---:|---|---|');
  for (const t of results.targets) {
    const result = t.skipped ? 'not measured' : t.info ? 'no target' : t.pass ? '**PASS**' : '**MISS**';
    lines.push(`| ${cell(t.name)} | ${cell(t.shown ?? '—')} | ${cell(t.limit)} | ${result} | ${cell(t.detail ?? '')} |`);
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
