/**
 * Watching the scheduler's folders for edits: one inotify watch per folder (hidden folders such as
 * the `.arq` state and node_modules are left out, so runs writing their records wake nothing), and
 * a short quiet period per file, since an editor saves in several steps (write, rename, chmod).
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isWorkflowFileName, skipsFolder } from './catalog.js';

const QUIET_MS = 200;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Calls `onChange(file)` (absolute) once a workflow file under `paths` was created, changed,
 * renamed or removed and has been quiet for a moment; a new folder is watched from then on, and a
 * folder that went away is reported as `onChange(folder)`.
 *
 * @example
 * const watch = new FolderWatch(['pipelines'], (file) => console.log('changed', file));
 * watch.close();
 */
export class FolderWatch {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Files given by name (not in a folder given): only they are reported from their folder. */
  private readonly singles = new Set<string>();

  constructor(
    paths: readonly string[],
    private readonly onChange: (file: string) => void,
    private readonly ignored: readonly string[] = [],
    /** Told when a folder cannot be watched (inotify limits): its edits then need a SIGHUP. */
    private readonly warn: (message: string) => void = () => {},
  ) {
    for (const path of paths.map((p) => resolve(p))) {
      if (isDirectory(path)) this.watchTree(path);
      else {
        this.singles.add(path);
        this.watchFolder(dirname(path), false);
      }
    }
  }

  private watchTree(dir: string): void {
    this.watchFolder(dir, true);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !skipsFolder(join(dir, entry.name), this.ignored)) this.watchTree(join(dir, entry.name));
    }
  }

  private watchFolder(dir: string, wholeTree: boolean): void {
    if (this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => name && this.noticed(join(dir, name.toString()), wholeTree));
      watcher.on('error', () => this.unwatch(dir));
      this.watchers.set(dir, watcher);
    } catch (error) {
      // A folder removed as it was found has nothing to watch; any other failure must be said.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.warn(`cannot watch ${dir} (${code ?? String(error)}): edits there are picked up only after a SIGHUP`);
    }
  }

  private unwatch(dir: string): void {
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
  }

  private noticed(path: string, wholeTree: boolean): void {
    if (wholeTree && !skipsFolder(path, this.ignored)) {
      if (isDirectory(path)) return this.watchers.has(path) ? undefined : this.newFolder(path);
      // A folder moved away or removed: its files are gone with it.
      if (this.watchers.has(path)) return this.folderGone(path);
    }
    if (!isWorkflowFileName(basename(path)) || (!wholeTree && !this.singles.has(path))) return;
    clearTimeout(this.pending.get(path));
    this.pending.set(path, setTimeout(() => {
      this.pending.delete(path);
      this.onChange(path);
    }, QUIET_MS));
  }

  /** A folder created (or moved in) with files already in it: they count as changed too. */
  private newFolder(dir: string): void {
    this.watchFolder(dir, true);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !skipsFolder(path, this.ignored)) this.newFolder(path);
      else if (entry.isFile() && isWorkflowFileName(entry.name)) this.noticed(path, true);
    }
  }

  private folderGone(dir: string): void {
    for (const watched of [...this.watchers.keys()]) if (watched === dir || watched.startsWith(`${dir}/`)) this.unwatch(watched);
    this.onChange(dir);
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const dir of [...this.watchers.keys()]) this.unwatch(dir);
  }
}
