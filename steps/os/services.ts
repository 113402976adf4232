/**
 * Services started by `process.start`: where their pid file, log file and record live, and how a
 * later step (or a later run) finds them again and tells whether they still run.
 *
 * A service named `api` started in the working directory W has, by default:
 * - `W/.arq/services/api.pid`: its pid, alone on a line, as other tools expect a pid file;
 * - `W/.arq/services/api.log`: its stdout and stderr, appended;
 * - `W/.arq/services/api.json`: arq's record (pid, process group, start time, command, files).
 *
 * The record's start time (Linux: /proc/PID/stat) guards against a recycled pid: a process with
 * the service's pid but another start time is someone else, and is never signalled.
 *
 * @example
 * const found = await findService({ name: 'api' }, ctx);
 * if (found.running) await stopService(found, { graceMs: 5000 });
 */
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepContext } from '../contract.js';
import { StepError } from '../contract.js';
import { confine } from './fs-paths.js';
import { killProcessTree, killTree, processAlive, readStat, type KillOutcome } from './process-tree.js';

/** The folder that holds services' files unless a step names others. */
export const SERVICES_DIR = join('.arq', 'services');

/** What arq writes about a service it started. */
export interface ServiceRecord {
  readonly name: string;
  readonly pid: number;
  /** The process group the service leads (its pid on Linux and macOS); absent on Windows. */
  readonly pgid?: number;
  /** /proc/PID/stat start time, in clock ticks after boot (Linux only). */
  readonly starttime?: number;
  readonly command: readonly string[];
  readonly pid_file: string;
  readonly log_file: string;
  /** This record's own path. */
  readonly record_file: string;
  readonly started_at: string;
}

/** How a step names a service: by name (its record), by pid file, or by pid. */
export interface ServiceRef {
  readonly name?: string;
  readonly pid_file?: string;
  readonly pid?: number;
}

/** A service looked up: what is known about it, and whether it runs now. */
export interface FoundService {
  readonly name?: string;
  readonly pid: number;
  readonly record?: ServiceRecord;
  readonly running: boolean;
  /** Set when the pid runs but belongs to another process than the one that was started. */
  readonly recycled?: boolean;
}

/** JSON Schema properties shared by the steps that find a service. */
export const serviceRefProperties = {
  name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'The name given to process.start: its record is read from .arq/services/NAME.json.' },
  pid_file: { type: 'string', minLength: 1, description: 'A pid file (any tool\'s), relative to the run directory.' },
  pid: { type: 'integer', minimum: 2, description: 'A process id.' },
} as const;

/** Paths of a service's files: the step's own, else the default ones under .arq/services. */
export async function servicePaths(name: string, ctx: StepContext, files: { pid_file?: string; log_file?: string } = {}) {
  return {
    record: await confine(join(SERVICES_DIR, `${name}.json`), ctx),
    pidFile: await confine(files.pid_file ?? join(SERVICES_DIR, `${name}.pid`), ctx),
    logFile: await confine(files.log_file ?? join(SERVICES_DIR, `${name}.log`), ctx),
  };
}

async function readRecord(path: string): Promise<ServiceRecord | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as ServiceRecord;
  } catch {
    throw new StepError('process.bad_record', `The service record ${path} is not valid JSON; delete it and start the service again`);
  }
}

async function readPidFile(path: string, ref: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid < 2) throw new StepError('process.bad_pid_file', `The pid file ${ref} does not hold a process id: ${JSON.stringify(text.slice(0, 40))}`);
  return pid;
}

/** Whether `pid` is the very process the record describes (same start time), as far as the OS tells. */
export function isSameProcess(pid: number, starttime: number | undefined): boolean {
  if (starttime === undefined || process.platform !== 'linux') return true;
  return readStat(String(pid))?.starttime === starttime;
}

/** The start time of a live process (Linux), for the record. */
export function startTimeOf(pid: number): number | undefined {
  return process.platform === 'linux' ? readStat(String(pid))?.starttime : undefined;
}

function checkRef(ref: ServiceRef): void {
  const given = [ref.name, ref.pid_file, ref.pid].filter((v) => v !== undefined).length;
  if (given !== 1) throw new StepError('process.ref', 'Name the service with exactly one of name, pid_file or pid');
}

/**
 * Finds a service; undefined when nothing names it any more (never started, or stopped and its
 * files removed).
 */
export async function findService(ref: ServiceRef, ctx: StepContext): Promise<FoundService | undefined> {
  checkRef(ref);
  if (ref.pid !== undefined) return { pid: ref.pid, running: processAlive(ref.pid) };
  if (ref.pid_file !== undefined) {
    const pid = await readPidFile(await confine(ref.pid_file, ctx), ref.pid_file);
    return pid === undefined ? undefined : { pid, running: processAlive(pid) };
  }
  const paths = await servicePaths(ref.name!, ctx);
  const record = await readRecord(paths.record);
  if (!record) return undefined;
  const alive = processAlive(record.pid);
  const same = alive && isSameProcess(record.pid, record.starttime);
  return { name: record.name, pid: record.pid, record, running: same, recycled: alive && !same };
}

/** Stops a service and its whole tree; removes its pid file and record once it is gone. */
export async function stopService(found: FoundService, options: { graceMs: number; signal?: NodeJS.Signals }): Promise<KillOutcome> {
  const outcome = !found.running ? 'gone' : found.record?.pgid !== undefined ? await killTree(found.record.pgid, options) : await stopByPid(found.pid, options);
  if (found.record) await forgetService(found.record);
  return outcome;
}

/** A pid from a pid file: its group when it leads one, else the process and its descendants. */
async function stopByPid(pid: number, options: { graceMs: number; signal?: NodeJS.Signals }): Promise<KillOutcome> {
  const leads = process.platform === 'linux' && readStat(String(pid))?.pgrp === pid;
  return leads ? killTree(pid, options) : killProcessTree(pid, options);
}

/** Removes a service's pid file and record (its log stays: it tells what happened). */
export async function forgetService(record: ServiceRecord): Promise<void> {
  await Promise.all([unlink(record.pid_file).catch(() => undefined), unlink(record.record_file).catch(() => undefined)]);
}

/** Every service recorded in a services folder, by name. */
export async function listRecords(folder: string): Promise<ServiceRecord[]> {
  const names = (await readdir(folder).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const records = await Promise.all(names.map((f) => readRecord(join(folder, f)).catch(() => undefined)));
  return records.filter((r): r is ServiceRecord => r !== undefined);
}
