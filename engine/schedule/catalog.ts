/**
 * The workflows `arq schedule` runs: YAML files under the given folders whose `on:` has a
 * `schedule:`. What the scheduler keeps of each is small (its text, name and entries): it holds no
 * checked or compiled workflow (see load.ts and check-child.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ScheduleSpec } from '../model/schedule.js';

/** A checked workflow with a schedule: the version the scheduler runs until a valid edit replaces it. */
export interface ScheduledWorkflow {
  /** Absolute path: the key of the workflow in the scheduler and in the run history. */
  readonly file: string;
  /** The path as logs show it (relative to the current directory). */
  readonly shown: string;
  readonly name: string;
  /** The text that was checked: every run of this version runs exactly this text. */
  readonly text: string;
  /** sha256 of the text: an editor saving the same text changes nothing. */
  readonly textHash: string;
  readonly schedules: readonly ScheduleSpec[];
}

/**
 * Folders that never hold workflows: hidden ones (`.git`, the `.arq` state), dependencies, and
 * `ignored` ones (the state directory wherever it is: runs write there all the time).
 */
export function skipsFolder(path: string, ignored: readonly string[] = []): boolean {
  const name = basename(path);
  return name.startsWith('.') || name === 'node_modules' || ignored.includes(path);
}

/** Whether a file name is one the scheduler reads. */
export function isWorkflowFileName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !name.startsWith('.');
}

function filesUnder(dir: string, into: string[], ignored: readonly string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !skipsFolder(path, ignored)) filesUnder(path, into, ignored);
    else if (entry.isFile() && isWorkflowFileName(entry.name)) into.push(path);
  }
}

/**
 * Every YAML file under `paths` (folders, walked recursively, or files), absolute and sorted;
 * `ignored` folders are left out.
 * A path that does not exist is a usage error: a typo must not start a scheduler that runs nothing.
 *
 * @example
 * findWorkflowFiles(['pipelines']); // ['/srv/pipelines/backup.yaml', '/srv/pipelines/report.yml']
 */
export function findWorkflowFiles(paths: readonly string[], ignored: readonly string[] = []): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    let isDir: boolean;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      throw new UsageError('schedule.no_path', `${path} does not exist; expected a folder of workflows (or a workflow file)`);
    }
    if (isDir) filesUnder(absolute, files, ignored);
    else files.push(absolute);
  }
  return [...new Set(files)];
}

/** How logs name a file: relative to the current directory when it is inside it. */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
