/** What a running block sees: the results of the steps before it, and whether it must stop. */

export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** A finished step as `${{ steps.ID }}` shows it. */
export interface StepView {
  readonly status: StepStatus;
  /** The step's own result, before continue_on_error. */
  readonly outcome: StepStatus;
  /** The result that counts for what follows: a failure with continue_on_error concludes `succeeded`. */
  readonly conclusion: StepStatus;
  readonly outputs: Readonly<Record<string, unknown>> | readonly unknown[];
  readonly error?: string;
}

/**
 * Results are per scope: a foreach item sees the steps before the foreach plus its own body's steps,
 * and never another item's. A child's view reads through to its parent without copying it.
 */
export class Scope {
  private readonly local: Record<string, StepView> = {};
  readonly steps: Record<string, StepView>;

  constructor(
    readonly parent?: Scope,
    readonly item?: { readonly item: unknown; readonly index: number },
    /** A sub-workflow's root scope: the items around the step that called it (it cannot read them). */
    private readonly basePath: readonly number[] = [],
  ) {
    this.steps = parent ? layered(this.local, parent.steps) : this.local;
  }

  set(id: string, view: StepView): void {
    this.local[id] = view;
  }

  get(id: string): StepView | undefined {
    return this.steps[id];
  }

  private path?: readonly number[];

  /** The indexes of every foreach item around this scope, outermost first (for nested foreach). */
  itemPath(): readonly number[] {
    // Asked for twice per step (its events): computed once, as nothing it depends on changes.
    if (!this.path) {
      const outer = this.parent?.itemPath() ?? this.basePath;
      this.path = Object.freeze(this.item ? [...outer, this.item.index] : [...outer]);
    }
    return this.path;
  }

  /** The item context of the innermost foreach around this scope. */
  itemContext(): Scope['item'] {
    return this.item ?? this.parent?.itemContext();
  }
}

function layered(local: Record<string, StepView>, parent: Record<string, StepView>): Record<string, StepView> {
  const pick = (key: string | symbol) => (Object.hasOwn(local, key) ? local : parent);
  return new Proxy(local, {
    get: (_t, key) => Reflect.get(pick(key), key),
    has: (_t, key) => Reflect.has(pick(key), key),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(pick(key), key);
      return d && { ...d, configurable: true };
    },
    ownKeys: () => [...new Set([...Reflect.ownKeys(parent), ...Reflect.ownKeys(local)])],
  });
}

/**
 * failFast: once a step fails (and continue_on_error does not cover it), no new step starts in
 * its group, nor in any group inside it. A group's failure that its step does not cover halts the
 * enclosing group in turn. The `finally:` section records failures without halting: each of its
 * steps runs whatever the ones before it did.
 */
export class Halt {
  private failing = false;
  /** The first uncovered failure in this group, for the group's own error message. */
  reason?: string;
  constructor(
    readonly parent: Halt | undefined,
    private readonly cancelled: () => boolean,
    private readonly stops = true,
  ) {}

  fail(reason: string): void {
    this.failing = true;
    this.reason ??= reason;
  }

  /** Some step failed in this group or a group around it (and that stops new steps). */
  failed(): boolean {
    return (this.stops && this.failing) || (this.parent?.failed() ?? false);
  }

  /** A step of this very group failed: the group itself failed, not only a group around it. */
  recorded(): boolean {
    return this.failing;
  }

  halted(): boolean {
    return this.cancelled() || this.failed();
  }

  child(): Halt {
    return new Halt(this, this.cancelled);
  }
}
