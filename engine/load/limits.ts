/** Limits that keep a hostile or accidental workflow file from exhausting memory or time. */

/** Largest workflow file arq reads: 1 MiB, far above any hand-written workflow. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * Most values that aliases may add to a document once expanded. yaml's own `maxAliasCount`
 * counts uses per anchor, so a limit of 100 would reject 101 steps sharing `<<: *defaults`;
 * counting expanded values lets 10,000 such steps through and still stops a "billion laughs"
 * document after a million values.
 */
export const MAX_ALIAS_EXPANSIONS = 1_000_000;

const UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

/** Formats a byte count with one decimal place and no `.0`: `512 B`, `1.5 KiB`, `1 MiB`. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (unit < UNITS.length - 1 && Number(value.toFixed(1)) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(1))} ${UNITS[unit]}`;
}

/**
 * Says how much too large a file is. When both sizes round to the same text
 * (1 MiB + 1 byte against 1 MiB) the exact byte counts are shown instead.
 */
export function describeTooLarge(size: number, limit: number): string {
  const shown = formatSize(size);
  const limitShown = formatSize(limit);
  if (shown === limitShown) return `File is ${size} B; the limit is ${limit} B`;
  return `File is ${shown}; the limit is ${limitShown}`;
}

/** For input whose size is unknown until read (a pipe, a device): only that it passed the limit. */
export function describeStreamTooLarge(limit: number): string {
  return `File is larger than the limit of ${formatSize(limit)}`;
}
