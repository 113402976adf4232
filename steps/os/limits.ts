/**
 * Resource limits on shell and process steps: `limits: { memory, cpu_seconds, open_files, nice }`,
 * applied with the operating system's own tools, never by arq watching the process.
 *
 * - Linux: `prlimit --as --cpu --nofile -- nice -n N command...` (util-linux and coreutils).
 * - macOS: no prlimit; `sh -c 'ulimit -t N; ulimit -n N; exec "$@"'` and `nice`. macOS ignores
 *   address-space limits, so `memory` is refused there rather than silently not applied.
 * - Windows: none of them (job objects have no command-line tool): any limit is refused.
 *
 * Pure, so every platform's choice is unit-tested on Linux.
 *
 * @example
 * limitCommand({ file: 'sh', args: ['-e', '-c', 'make'] }, { memory: '512M', nice: 10 }, 'linux')
 * // { file: 'prlimit', args: ['--as=536870912', '--', 'nice', '-n', '10', 'sh', '-e', '-c', 'make'] }
 */
import type { JSONSchema } from '../contract.js';
import { StepError } from '../contract.js';

/** What a step's `limits:` holds once its expressions are resolved. */
export interface Limits {
  /** Address space: bytes, or a size such as `512M`, `1.5G`, `200MiB` (K, M, G are powers of 1024). */
  readonly memory?: string | number;
  /** CPU time in seconds: the process gets SIGXCPU, then SIGKILL. */
  readonly cpu_seconds?: number;
  /** The most file descriptors the process may hold open at once. */
  readonly open_files?: number;
  /** Scheduling priority, -20 (most favoured, needs root) to 19 (least). */
  readonly nice?: number;
}

/** The program to start, as shell.ts and the process steps build it. */
export interface Command {
  readonly file: string;
  readonly args: readonly string[];
}

/** JSON Schema of `limits:`, shared by the shell and process steps. */
export const limitsSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Resource limits applied with the OS\'s own tools (prlimit and nice on Linux). A limit the platform cannot apply fails the step.',
  properties: {
    memory: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgGtT]i?[bB]?|[bB])?\\s*$' },
      ],
      'x-expected': 'a size: bytes, or a number with K, M, G or T (e.g. 512M, 1.5G)',
      description: 'Address-space limit: bytes, or a size such as 512M, 1.5G, 200MiB (K, M, G, T are powers of 1024). An allocation past it fails.',
    },
    cpu_seconds: { type: 'integer', minimum: 1, description: 'CPU time in seconds; past it the process gets SIGXCPU, then SIGKILL.' },
    open_files: { type: 'integer', minimum: 3, description: 'The most file descriptors the process may hold open at once.' },
    nice: { type: 'integer', minimum: -20, maximum: 19, description: 'Scheduling priority: -20 (most favoured, needs root) to 19 (least).' },
  },
};

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A size in bytes.
 *
 * @example
 * parseSize('1.5G'); // 1610612736
 * parseSize(4096);   // 4096
 */
export function parseSize(size: string | number): number {
  if (typeof size === 'number') return size;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(size);
  if (!match) throw new StepError('limits.invalid', `limits.memory "${size}" is not a size: expected bytes or a number with K, M, G or T, e.g. 512M`);
  return Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
}

/** A size as people read it: `100 MiB`, `1.5 GiB`. */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= factor) return `${Number((bytes / factor).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

const hasLimits = (limits: Limits | undefined): limits is Limits =>
  limits !== undefined && Object.values(limits).some((value) => value !== undefined);

function unsupported(names: readonly string[], platform: NodeJS.Platform, why: string): StepError {
  const list = names.map((n) => `limits.${n}`).join(', ');
  return new StepError('limits.unsupported', `${list} ${names.length > 1 ? 'are' : 'is'} not supported on ${platformName(platform)}: ${why}`, { limits: [...names], platform });
}

function platformName(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform;
}

/** The command wrapped so that it runs under `limits`; the command itself when there are none. */
export function limitCommand<C extends Command>(command: C, limits: Limits | undefined, platform: NodeJS.Platform): C {
  if (!hasLimits(limits)) return command;
  if (platform === 'win32') {
    const set = Object.keys(limits).filter((k) => limits[k as keyof Limits] !== undefined);
    throw unsupported(set, platform, 'Windows has no command-line tool to limit a process (job objects); remove limits: from this step');
  }
  const niced = limits.nice === undefined ? [command.file, ...command.args] : ['nice', '-n', String(limits.nice), command.file, ...command.args];
  if (platform === 'darwin') return wrapDarwin(command, limits, niced);
  const flags = [
    limits.memory !== undefined ? `--as=${parseSize(limits.memory)}` : undefined,
    // soft:hard one second apart: SIGXCPU first (reported as the limit), SIGKILL if it is ignored.
    limits.cpu_seconds !== undefined ? `--cpu=${limits.cpu_seconds}:${limits.cpu_seconds + 1}` : undefined,
    limits.open_files !== undefined ? `--nofile=${limits.open_files}` : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  const [file, ...args] = flags.length ? ['prlimit', ...flags, '--', ...niced] : niced;
  return { ...command, file: file!, args };
}

/** macOS: the shell's own ulimit, then exec, so the limited process is the command itself. */
function wrapDarwin<C extends Command>(command: C, limits: Limits, niced: readonly string[]): C {
  if (limits.memory !== undefined) throw unsupported(['memory'], 'darwin', 'macOS does not enforce address-space limits (ulimit -v); remove limits.memory or run on Linux');
  const ulimits = [
    limits.cpu_seconds !== undefined ? `ulimit -t ${limits.cpu_seconds}` : undefined,
    limits.open_files !== undefined ? `ulimit -n ${limits.open_files}` : undefined,
  ].filter((line): line is string => line !== undefined);
  if (!ulimits.length) return { ...command, file: niced[0]!, args: niced.slice(1) };
  // The numbers are validated integers; the command travels as arguments ("$@"), never as shell text.
  return { ...command, file: '/bin/sh', args: ['-c', `${ulimits.join('; ')}; exec "$@"`, 'arq-limits', ...niced] };
}

/** What stderr says when an allocation failed: coreutils, libc, Python, C++, Node, Java, Go. */
const OUT_OF_MEMORY = /memory exhausted|cannot allocate memory|out of memory|MemoryError|bad_alloc|heap out of memory|OutOfMemoryError|ENOMEM/i;

/**
 * The error for a command that failed under `limits`, when the failure is the limit's doing:
 * an allocation that failed under `memory`, or SIGXCPU/SIGKILL past `cpu_seconds`.
 */
export function limitFailure(limits: Limits | undefined, ended: { exitCode?: number; signal?: string; stderr: string }, subject: string, command: string): StepError | undefined {
  if (!hasLimits(limits)) return undefined;
  const tail = ended.stderr === '' ? '' : `\n${ended.stderr.split('\n').slice(-10).join('\n')}`;
  if (limits.memory !== undefined && (ended.exitCode !== 0 || ended.signal) && OUT_OF_MEMORY.test(ended.stderr)) {
    const limit = formatSize(parseSize(limits.memory));
    return new StepError('limits.memory', `${subject} ran out of memory (limits.memory is ${limit}): ${command}${tail}`, { limit: parseSize(limits.memory), stderr: ended.stderr });
  }
  if (limits.cpu_seconds !== undefined && ended.signal === 'SIGXCPU') {
    return new StepError('limits.cpu', `${subject} was stopped by limits.cpu_seconds after ${limits.cpu_seconds} s of CPU time (SIGXCPU): ${command}${tail}`, { limit: limits.cpu_seconds, signal: ended.signal });
  }
  return undefined;
}
