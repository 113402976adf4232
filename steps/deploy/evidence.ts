/**
 * The deployment's evidence, in the run record's artifacts folder (`artifacts/deploy/`): every
 * rendered config, every split with its `nginx -t`, reload and proof, each stage's raw samples
 * and verdict, the trigger of a rollback and the rollback itself, so that every verdict can be
 * checked again afterwards. `timeline.jsonl` lists what happened in order.
 *
 * @example
 * const evidence = await Evidence.open(ctx);
 * await evidence.writeJson('plan.json', plan);
 * await evidence.event({ kind: 'phase', name: 'migrate', outcome: 'succeeded' });
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StepContext } from '../contract.js';

/** What started a rollback: the first failure the deploy steps saw. */
export interface Trigger {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly source: 'breach' | 'inconclusive' | 'phase' | 'split' | 'cancel' | 'failure';
  readonly reason: string;
}

/** One line of the timeline. */
export type TimelineEvent = { readonly kind: string; readonly at?: number } & Record<string, unknown>;

export class Evidence {
  private constructor(readonly dir: string) {}

  /** The evidence folder of the run (created on first use). */
  static async open(ctx: StepContext): Promise<Evidence> {
    const dir = join(ctx.run.artifactsDir, 'deploy');
    await mkdir(dir, { recursive: true });
    return new Evidence(dir);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  async writeText(name: string, text: string): Promise<string> {
    const file = this.path(name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    return file;
  }

  writeJson(name: string, value: unknown): Promise<string> {
    return this.writeText(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes one JSON line per value (raw samples). */
  writeLines(name: string, values: readonly unknown[]): Promise<string> {
    return this.writeText(name, values.map((v) => `${JSON.stringify(v)}\n`).join(''));
  }

  async readJson<T>(name: string): Promise<T | undefined> {
    const text = await readFile(this.path(name), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** Appends to the timeline, stamped with the time unless the event has one. */
  async event(event: TimelineEvent): Promise<void> {
    await appendFile(this.path('timeline.jsonl'), `${JSON.stringify({ at: Date.now(), ...event })}\n`);
  }

  async timeline(): Promise<TimelineEvent[]> {
    const text = await readFile(this.path('timeline.jsonl'), 'utf8').catch(() => '');
    return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as TimelineEvent);
  }

  /** Notes what started the rollback; only the first trigger of a run counts. */
  async trigger(trigger: Trigger): Promise<void> {
    if (await this.readJson<Trigger>('trigger.json')) return;
    await this.writeJson('trigger.json', trigger);
    await this.event({ kind: 'trigger', ...trigger });
  }
}

/** A file name part for a label: `stage 10%` -> `stage-10pct`. */
export function slug(label: string): string {
  return label.replace(/%/g, 'pct').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** `03` for 3: evidence files sort in the order things happened. */
export function ordinal(n: number): string {
  return String(n).padStart(2, '0');
}
