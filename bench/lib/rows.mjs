/**
 * Rows of a scenario measured at several sizes. A row says which implementation it measures in
 * `impl` (the full table) and, when it is one of the columns of the comparison table, `column`
 * (`arq` for arq's own row; one row per column and size). Rows marked `competitor` are the
 * peer engines the "ahead of every peer" targets compare arq with (raw spawn is a floor, not one).
 */

/** Peer rows get this long in all (warm-up and measured runs) before they are reported as timed out. */
export const PEER_TIMEOUT_MS = 60_000;

/**
 * The rows of every size: `rowsAt(size)` returns a size's rows; their ids become `ID@SIZE`, and
 * each carries its size and its step count (`units`, default the size).
 *
 * @example
 * bySize([100, 1000], (n) => [{ id: 'arq', impl: 'arq', column: 'arq', peer: 'peers/arq.mjs', task: 'chain', params: { n, expect: n } }]);
 * // [{ id: 'arq@100', size: 100, units: 100, ... }, { id: 'arq@1000', size: 1000, units: 1000, ... }]
 */
export function bySize(sizes, rowsAt) {
  return sizes.flatMap((size) => rowsAt(size).map((row) => ({ units: size, ...row, id: `${row.id}@${size}`, size })));
}

/** Sizes as the tables show them: 1,000 rather than 1000. */
export const shown = (n) => n.toLocaleString('en');
