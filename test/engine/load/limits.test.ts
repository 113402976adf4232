import { describe, expect, test } from 'vitest';

import { DEFAULT_MAX_BYTES } from '../../../engine/load/load.js';
import { describeStreamTooLarge, describeTooLarge, formatSize } from '../../../engine/load/limits.js';

describe('formatSize', () => {
  test.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024 + 100, '10.1 KiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [1.5 * 1024 * 1024, '1.5 MiB'],
    [1024 ** 3, '1 GiB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe('size messages', () => {
  test('the default limit is 1 MiB', () => {
    expect(DEFAULT_MAX_BYTES).toBe(1_048_576);
  });

  test('say the size and the limit, exact when they would read the same', () => {
    expect(describeTooLarge(1.5 * 1024 * 1024, DEFAULT_MAX_BYTES)).toBe('File is 1.5 MiB; the limit is 1 MiB');
    expect(describeTooLarge(DEFAULT_MAX_BYTES + 10, DEFAULT_MAX_BYTES)).toBe('File is 1048586 B; the limit is 1048576 B');
    expect(describeStreamTooLarge(DEFAULT_MAX_BYTES)).toBe('File is larger than the limit of 1 MiB');
  });
});
