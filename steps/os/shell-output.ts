/** What a shell step produces: its streams followed line by line, captured, and decoded into outputs. */
import { existsSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { LogStream, StepContext } from '../contract.js';
import { StepError } from '../contract.js';

// A line this long is logged in pieces, so output without newlines costs linear time.
const MAX_LINE_CHARS = 64 * 1024;

/**
 * Reads `$ARQ_OUTPUT`: `key=value` lines and GitHub-style `key<<DELIM` ... `DELIM` blocks.
 *
 * @example
 * parseOutputFile('tag=v1\nnotes<<EOF\na\nb\nEOF\n') // { tag: 'v1', notes: 'a\nb' }
 */
export function parseOutputFile(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/);
  const outputs: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq > 0 && (heredoc < 0 || eq < heredoc)) {
      outputs[line.slice(0, eq)] = line.slice(eq + 1);
    } else if (heredoc > 0 && line.length > heredoc + 2) {
      const end = lines.indexOf(line.slice(heredoc + 2), i + 1);
      if (end < 0) throw badOutput(`line ${i + 1} opens "${line}" but no line "${line.slice(heredoc + 2)}" closes it`);
      outputs[line.slice(0, heredoc)] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      throw badOutput(`line ${i + 1} is "${line.slice(0, 100)}", expected key=value or key<<DELIMITER`);
    }
  }
  return outputs;
}

function badOutput(problem: string): StepError {
  return new StepError('shell.bad_output', `Invalid $ARQ_OUTPUT file: ${problem}.`);
}

/** Turns the chosen output stream into outputs, as `outputs.decode` says. */
export function decodeOutput(text: string, decode: 'json' | 'text' | 'lines', from = 'stdout'): Record<string, unknown> {
  if (decode === 'text') return { text };
  if (decode === 'lines') return { lines: text.split(/\r?\n/).filter((line) => line !== '') };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    throw new StepError('shell.bad_json', `The command's ${from} is not valid JSON (${reason}); it starts with: ${text.slice(0, 200)}`, { text: text.slice(0, 200) });
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return isObject ? (value as Record<string, unknown>) : { value };
}

/** Keeps the first `max` characters of a stream (`head`) or the last `max` (`tail`). */
export class Capture {
  private parts: string[] = [];
  private length = 0;
  truncated = false;
  constructor(private readonly keep: 'head' | 'tail', private readonly max: number) {}

  push(text: string): void {
    if (this.keep === 'head' && this.length + text.length > this.max) {
      this.truncated = true;
      text = text.slice(0, this.max - this.length);
    }
    this.parts.push(text);
    this.length += text.length;
    while (this.keep === 'tail' && this.length - (this.parts[0]?.length ?? 0) >= this.max) {
      this.truncated = true;
      this.length -= this.parts.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = this.parts.join('');
    return (this.keep === 'tail' ? all.slice(-this.max) : all).replace(/\r?\n$/, '');
  }
}

/** Logs a stream line by line as it arrives, and captures it. */
export function followStream(stream: Readable, name: LogStream, ctx: StepContext, capture: Capture): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    capture.push(chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) ctx.log(name, line.endsWith('\r') ? line.slice(0, -1) : line);
    if (partial.length >= MAX_LINE_CHARS) {
      ctx.log(name, partial);
      partial = '';
    }
  });
  stream.once('end', () => partial !== '' && ctx.log(name, partial));
}

/** The script's `key=value` outputs; a script that wrote none leaves no file. */
export async function readOutputFile(path: string): Promise<Record<string, string>> {
  // A sync existence check costs ~1 us; a failed async read goes through the thread pool.
  if (!existsSync(path)) return {};
  const text = await readFile(path, 'utf8');
  await unlink(path);
  return parseOutputFile(text);
}
