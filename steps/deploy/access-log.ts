/**
 * Reading nginx's JSON access log (format `arq_deploy`, see nginx-config.ts) into per-variant
 * samples. Every upstream attempt of a request counts for the server it reached, so a B that
 * failed before nginx retried on A (`upstream_status: "502, 200"`) is still charged with its error.
 *
 * @example
 * const tail = new LogTail('/var/log/nginx/arq-access.log');
 * await tail.skipToEnd();
 * const lines = await tail.read();  // only what was appended since
 * const samples = samplesOf(lines.map(parseLogLine), { a: '127.0.0.1:8001', b: '127.0.0.1:8002', revision: 3 });
 */
import { open, stat } from 'node:fs/promises';

/** Which side answered. */
export type Variant = 'A' | 'B';

/** One upstream attempt, as the watch judges it. */
export interface Sample {
  /** Epoch milliseconds the request was logged. */
  readonly at: number;
  readonly variant: Variant;
  /** The upstream's status, or 502 when it gave none (connection refused, reset, timeout). */
  readonly status: number;
  /** `$upstream_response_time` in milliseconds (null when the upstream never answered). */
  readonly ms: number | null;
  /** A 5xx answer or none at all. */
  readonly error: boolean;
  /** Sent by arq's own probe traffic (`X-Arq-Probe`), not by users. */
  readonly probe: boolean;
}

/** One line of the log, parsed. */
export interface LogEntry {
  readonly at: number;
  readonly revision: string;
  readonly status: number;
  readonly addresses: readonly string[];
  readonly statuses: readonly string[];
  readonly times: readonly string[];
  readonly probe: string;
}

/** Attempts are separated by ", ", internal redirects between upstream groups by " : ". */
const ATTEMPT_SEPARATOR = /\s*,\s*|\s+:\s+/;

function splitAttempts(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(ATTEMPT_SEPARATOR) : [];
}

/**
 * One log line; undefined for a line that is not a JSON object of this format (a half-written
 * last line, or another format's line).
 */
export function parseLogLine(line: string): LogEntry | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || typeof value['rev'] !== 'string') return undefined;
  return {
    at: Math.round(Number(value['time']) * 1000),
    revision: value['rev'],
    status: Number(value['status']),
    addresses: splitAttempts(value['upstream_addr']),
    statuses: splitAttempts(value['upstream_status']),
    times: splitAttempts(value['upstream_response_time']),
    probe: typeof value['probe'] === 'string' ? value['probe'] : '',
  };
}

/** Who is who, and which revision's requests count. */
export interface Attribution {
  readonly a: string;
  readonly b: string;
  readonly revision: number;
}

function attempt(entry: LogEntry, index: number, variant: Variant): Sample {
  const status = Number(entry.statuses[index]);
  const seconds = Number(entry.times[index]);
  const answered = Number.isInteger(status) && status > 0;
  return {
    at: entry.at, variant, status: answered ? status : 502, ms: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
    error: !answered || status >= 500, probe: entry.probe !== '',
  };
}

/**
 * The samples of the entries served by `revision`: one per attempt that reached A or B. Proof
 * probes (sent while a reload was being checked) belong to no stage and are left out.
 */
export function samplesOf(entries: readonly (LogEntry | undefined)[], who: Attribution): Sample[] {
  const samples: Sample[] = [];
  for (const entry of entries) {
    if (!entry || entry.revision !== String(who.revision) || entry.probe === 'proof') continue;
    entry.addresses.forEach((address, index) => {
      const variant = address === who.a ? 'A' : address === who.b ? 'B' : undefined;
      if (variant) samples.push(attempt(entry, index, variant));
    });
  }
  return samples;
}

/** Reads what is appended to a file, whole lines only. */
export class LogTail {
  private offset = 0;
  private partial = '';

  constructor(readonly file: string) {}

  /** Starts after what the file holds now: earlier lines belong to earlier stages. */
  async skipToEnd(): Promise<void> {
    this.offset = await stat(this.file).then((s) => s.size, () => 0);
    this.partial = '';
  }

  /** The complete lines appended since the last read. */
  async read(): Promise<string[]> {
    const handle = await open(this.file, 'r').catch(() => undefined);
    if (!handle) return [];
    try {
      const { size } = await handle.stat();
      // A log rotated under us starts again from its beginning.
      if (size < this.offset) this.offset = 0;
      if (size === this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const lines = (this.partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      return lines.filter((line) => line.trim() !== '');
    } finally {
      await handle.close();
    }
  }
}
