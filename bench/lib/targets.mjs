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

const ms = (v) => `${v >= 100 ? Math.round(v) : v.toFixed(1)} ms`;

/** How arq compares with a peer's row: "3.2x faster", "1.5x slower", or how the peer failed. */
export function versus(arq, peer) {
  if (peer.failed) return `${peer.failed.split(':')[0]}`;
  if (peer.median === undefined) return 'not measured';
  const ratio = peer.median / arq.median;
  return ratio >= 1 ? `arq ${ratio.toFixed(2)}x faster` : `arq ${(1 / ratio).toFixed(2)}x slower`;
}

/**
 * "arq ahead of every peer" at each size of a scenario: arq's median under every competitor's
 * (a competitor that failed, overflowed its stack or timed out counts as behind). `rows` are the
 * scenario's results, each with `size` and `column`.
 */
export function aheadOfPeers(scenario, rows) {
  const sizes = [...new Set(rows.filter((r) => r.column === 'arq').map((r) => r.size))];
  return sizes.map((size) => {
    const name = `${scenario.shape(size)}: arq ahead of every peer`;
    const arq = rows.find((r) => r.column === 'arq' && r.size === size);
    const peers = rows.filter((r) => r.competitor && r.size === size && !r.skipped);
    if (arq.median === undefined || peers.length === 0) return { name, limit: '< each peer', skipped: true };
    const measured = peers.filter((p) => p.median !== undefined);
    const fastest = measured.sort((a, b) => a.median - b.median)[0];
    const detail = peers.map((p) => `${p.column} ${p.median === undefined ? '' : `${ms(p.median)}, `}${versus(arq, p)}`).join('; ');
    if (!fastest) return { name, value: 0, shown: `${ms(arq.median)}; every peer failed`, limit: '< each peer', pass: true, detail };
    const ratio = arq.median / fastest.median;
    return { name, value: ratio, shown: `${ms(arq.median)}, ${ratio.toFixed(2)}x the fastest peer (${fastest.column})`, limit: '< 1x', pass: ratio < 1, detail };
  });
}
