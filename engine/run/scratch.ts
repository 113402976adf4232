/**
 * The run's scratch folder (StepContext.tmpdir): created the first time a step asks for it and
 * removed when the run ends. A run whose steps never ask (no shell step) touches no disk for it:
 * creating and removing an empty folder cost ~0.8 ms a run here, more than a 10-step workflow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Scratch folders of runs in progress, for a CLI that must exit at once (a second Ctrl-C) to remove. */
export const scratchDirs = new Set<string>();

export class ScratchDir {
  private created?: string;
  private removed = false;

  /** The folder's path, creating it on first use (never once the run has ended: nothing would remove it). */
  get path(): string {
    if (this.created === undefined) {
      if (this.removed) throw new Error('The run has ended: it has no scratch folder any more');
      this.created = mkdtempSync(join(tmpdir(), 'arq-run-'));
      scratchDirs.add(this.created);
    }
    return this.created;
  }

  /** Removes the folder, if it was ever created. */
  remove(): void {
    this.removed = true;
    if (this.created === undefined) return;
    rmSync(this.created, { recursive: true, force: true });
    scratchDirs.delete(this.created);
  }
}
