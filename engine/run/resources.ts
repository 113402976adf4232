/** Resources that live as long as a run (StepContext.run): created on first use, disposed at its end. */
import type { RunScope } from '../../steps/contract.js';

interface Held {
  readonly value: Promise<unknown>;
  readonly dispose: (value: never) => Promise<void>;
}

export class RunResources implements RunScope {
  private readonly held = new Map<string, Held>();
  private artifacts?: string;

  constructor(
    readonly id: string,
    /** Where the run's artifacts go, or how to make that path when a step first asks (most never do). */
    private readonly artifactsPath: string | (() => string),
    private readonly warn: (message: string) => void = () => {},
    readonly settings: Readonly<Record<string, unknown>> = {},
  ) {}

  get artifactsDir(): string {
    return (this.artifacts ??= typeof this.artifactsPath === 'string' ? this.artifactsPath : this.artifactsPath());
  }

  resource<T>(key: string, create: () => Promise<T>, dispose: (value: T) => Promise<void>): Promise<T> {
    const existing = this.held.get(key);
    if (existing) return existing.value as Promise<T>;
    const value = create();
    // A creation that failed holds nothing: the next step may try again.
    value.catch(() => {
      if (this.held.get(key)?.value === value) this.held.delete(key);
    });
    this.held.set(key, { value, dispose: dispose as (value: never) => Promise<void> });
    return value;
  }

  async release(key: string): Promise<void> {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    let value: unknown;
    try {
      value = await held.value;
    } catch {
      return;
    }
    try {
      await held.dispose(value as never);
    } catch (error) {
      this.warn(`Releasing ${key} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Disposes every resource, newest first. Called once the run's steps have settled. */
  async releaseAll(): Promise<void> {
    for (const key of [...this.held.keys()].reverse()) await this.release(key);
  }

  /** Keys held now, oldest first. */
  keys(): string[] {
    return [...this.held.keys()];
  }
}
