/**
 * Targets from the issue, checked against a run's rows: `rows` maps "scenario/row" to the row's
 * summary ({ median, phases: { name: { median } } }). A target whose rows are missing (a row
 * filtered out with --only, or failed) is reported as not measured.
 */

/** a / b <= limit: `pick` reads the number compared from each row (the median by default). */
export function ratioTarget({ name, a, b, limit, pick = (row) => row.median, detail }) {
  return (rows) => {
    if (!rows[a] || !rows[b]) return { name, limit: `≤ ${limit}x`, skipped: true };
    const ratio = pick(rows[a]) / pick(rows[b]);
    return { name, value: ratio, shown: `${ratio.toFixed(2)}x`, limit: `≤ ${limit}x`, pass: ratio <= limit, detail: detail?.(rows) };
  };
}

/** The row's median under limitMs. */
export function timeTarget({ name, row, limitMs, detail }) {
  return (rows) => {
    if (!rows[row]) return { name, limit: `< ${limitMs} ms`, skipped: true };
    const ms = rows[row].median;
    return { name, value: ms, shown: `${Math.round(ms)} ms (${(ms / limitMs).toFixed(2)} of the limit)`, limit: `< ${limitMs} ms`, pass: ms < limitMs, detail: detail?.(rows) };
  };
}
