/** Turns offsets in the text into the 1-based line and column a user sees. */
import type { LineCounter } from 'yaml';

import type { SourceLocation } from '../errors.js';

/** Maps a character offset of the loaded text to a location in `file`. */
export type Locator = (offset: number) => SourceLocation;

/** Builds a locator from the LineCounter yaml filled while parsing (binary search per call). */
export function createLocator(file: string, lineCounter: LineCounter): Locator {
  return (offset) => {
    // yaml reports line 0 when it recorded no line start, which happens for empty input.
    const { line, col } = lineCounter.linePos(Math.max(0, offset));
    return line === 0 ? { file, line: 1, column: offset + 1 } : { file, line, column: col };
  };
}

/** Where a problem about the file as a whole (size, encoding, reading) points. */
export function startOf(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}

/**
 * A location in `file` whose line and column are worked out when first read (then kept). It reads
 * like any other: the properties are enumerable, so spreading, JSON and deep equality see them.
 */
export function lazyLocation(file: string, resolve: () => SourceLocation): SourceLocation {
  let resolved: SourceLocation | undefined;
  const get = (): SourceLocation => (resolved ??= resolve());
  return Object.defineProperties({ file } as SourceLocation, {
    line: { get: () => get().line, enumerable: true },
    column: { get: () => get().column, enumerable: true },
  });
}
