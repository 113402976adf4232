import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter, parseJournalLines, readJournal, type JournalEntry } from '../../../engine/store/journal.js';
import { readNewLines } from '../../../engine/store/tail.js';
import { tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-journal-');
const started: JournalEntry = { type: 'step.started', run: 'r1', step: 'a', label: 'a', attempt: 1, time: 1000 };
const finished: JournalEntry = { type: 'step.finished', run: 'r1', step: 'a', label: 'a', status: 'succeeded', time: 1100, duration_ms: 100, attempts: 1, outputs: { x: '1' } };

describe('the journal', () => {
  it('appends one JSON line per entry, in order', () => {
    const path = join(dir, 'order.jsonl');
    const writer = new JournalWriter(path);
    writer.append(started);
    writer.append(finished);
    writer.close();
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(started)}\n${JSON.stringify(finished)}\n`);
    expect(readJournal(path)).toEqual({ entries: [started, finished], skipped: 0 });
  });

  it('ignores a half-written last line instead of failing', () => {
    const path = join(dir, 'cut.jsonl');
    writeFileSync(path, `${JSON.stringify(started)}\n${JSON.stringify(finished).slice(0, 40)}`);
    expect(readJournal(path)).toEqual({ entries: [started], skipped: 1 });
  });

  it('skips a damaged line in the middle and keeps the lines after it', () => {
    expect(parseJournalLines(`${JSON.stringify(started)}\n{"type":\n42\n${JSON.stringify(finished)}\n`)).toEqual({ entries: [started, finished], skipped: 2 });
  });

  it('reads a missing journal as empty', () => {
    expect(readJournal(join(dir, 'none.jsonl'))).toEqual({ entries: [], skipped: 0 });
  });

  it('starts a fresh line when reopened after a crash left half a line, so the next entry stays readable', () => {
    const path = join(dir, 'reopened.jsonl');
    writeFileSync(path, `${JSON.stringify(started)}\n{"type":"step.fin`);
    const writer = new JournalWriter(path);
    writer.append(finished);
    writer.close();
    expect(readJournal(path)).toEqual({ entries: [started, finished], skipped: 1 });
  });
});

describe('readNewLines', () => {
  it('returns only complete lines and the offset after them, then what was appended since', () => {
    const path = join(dir, 'tail.log');
    writeFileSync(path, 'one\ntwo\nthr');
    const first = readNewLines(path, 0);
    expect(first).toEqual({ lines: ['one', 'two'], offset: 8 });
    appendFileSync(path, 'ee\nfour\n');
    expect(readNewLines(path, first.offset)).toEqual({ lines: ['three', 'four'], offset: 19 });
    expect(readNewLines(path, 19)).toEqual({ lines: [], offset: 19 });
  });

  it('finds no lines in a file that does not exist yet', () => {
    expect(readNewLines(join(dir, 'later.log'), 0)).toEqual({ lines: [], offset: 0 });
  });
});
