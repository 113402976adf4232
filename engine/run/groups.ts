/**
 * Coordinators of composite steps and DAG lists. Each starts one child actor per branch, item or
 * node (a block machine), counts them down, and never builds a wide parallel state.
 */
import { createActor } from 'xstate';
import { StepError } from '../../steps/contract.js';
import { evaluateValue } from '../expr/index.js';
import type { StepNode } from '../model/types.js';
import { describeValue } from '../check/schema-errors.js';
import { stepEnv } from './execute.js';
import { Frame } from './frame.js';
import { finishStep } from './record.js';
import { Scope } from './scope.js';

/** Runs a block machine as a child actor; true when it ended in `$done`. */
export function runBlock(frame: Frame, name: string, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  const actor = createActor(frame.instance.machines.block(name), { input: frame });
  return new Promise<boolean>((resolve) => {
    const onAbort = () => {
      actor.stop();
      resolve(false);
    };
    actor.subscribe({
      complete: () => {
        signal.removeEventListener('abort', onAbort);
        resolve(actor.getSnapshot().value === '$done');
      },
      error: () => resolve(false),
    });
    signal.addEventListener('abort', onAbort, { once: true });
    actor.start();
  });
}

function failIfHalted(child: Frame): void {
  if (child.halt.failed()) throw new StepError('group.failed', child.halt.reason ?? 'A step failed');
}

function namedOutputs(node: StepNode, frame: Frame): Record<string, unknown> {
  return node.outputs ? (evaluateValue(node.outputs, frame.evalContext()) as Record<string, unknown>) : {};
}

async function runSequence(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  const child = frame.child(stepEnv(frame, node));
  const ok = await runBlock(child, node.body!.name, signal);
  failIfHalted(child);
  if (!ok) throw new StepError('group.failed', 'The group did not finish');
  return namedOutputs(node, child);
}

async function runParallel(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  const child = frame.child(stepEnv(frame, node));
  await Promise.all(node.branches!.map((branch) => runBlock(child, branch.name, signal)));
  failIfHalted(child);
  return namedOutputs(node, child);
}

function foreachItems(frame: Frame, node: StepNode): unknown[] {
  const items = evaluateValue(node.foreach!, frame.evalContext());
  if (!Array.isArray(items)) throw new StepError('foreach.not_list', `foreach: expected a list; found ${describeValue(items)}`);
  return items;
}

/** The output of one item: the step's `outputs:` map, or the outputs of the body's last step. */
function itemOutput(node: StepNode, frame: Frame): unknown {
  if (node.outputs) return evaluateValue(node.outputs, frame.evalContext());
  const last = node.body!.steps.at(-1);
  return last ? (frame.scope.get(last.id)?.outputs ?? {}) : {};
}

async function runForeach(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  const items = foreachItems(frame, node);
  const env = stepEnv(frame, node);
  const halt = frame.halt.child();
  const outputs: unknown[] = new Array(items.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !halt.halted() && !signal.aborted) {
      const index = next++;
      const itemFrame = new Frame(frame.instance, new Scope(frame.scope, { item: items[index], index }), halt, env, frame.section);
      if (await runBlock(itemFrame, node.body!.name, signal)) outputs[index] = itemOutput(node, itemFrame);
    }
  };
  const width = Math.min(node.concurrency ?? items.length, items.length);
  await Promise.all(Array.from({ length: width }, worker));
  if (halt.failed()) throw new StepError('group.failed', halt.reason ?? 'An item failed');
  return outputs;
}

/** Runs a composite step (steps:, parallel:, foreach:) and returns its outputs. */
export function runComposite(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  if (node.kind === 'sequence') return runSequence(frame, node, signal);
  if (node.kind === 'parallel') return runParallel(frame, node, signal);
  return runForeach(frame, node, signal);
}

/** The DAG coordinator: readiness tracked by counting unmet needs, no guards re-checked per microstep. */
export function runDag(frame: Frame, blockName: string, signal: AbortSignal): Promise<void> {
  const block = frame.instance.compiled.blocks.get(blockName)!;
  return new DagRun(frame, block.steps, signal).run();
}

class DagRun {
  private readonly waiting = new Map<string, number>();
  private readonly dependents = new Map<string, StepNode[]>();
  private readonly blocked = new Set<string>();
  private running = 0;
  private left: number;
  private finish!: () => void;

  constructor(private readonly frame: Frame, private readonly nodes: readonly StepNode[], private readonly signal: AbortSignal) {
    this.left = nodes.length;
    for (const node of nodes) {
      this.waiting.set(node.id, node.needs.length);
      for (const need of node.needs) this.dependents.set(need, [...(this.dependents.get(need) ?? []), node]);
    }
  }

  run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    for (const node of this.nodes) if (node.needs.length === 0) this.start(node);
    this.checkEnd();
    return done.then(() => failIfHalted(this.frame));
  }

  private start(node: StepNode): void {
    if (this.frame.halt.halted() || this.signal.aborted) return;
    if (this.blocked.has(node.id) && !node.if?.usesStatusFunction) {
      finishStep(this.frame, node, 1, { status: 'skipped', error: 'A step it needs did not succeed' });
      this.settled(node);
      return;
    }
    this.running++;
    void runBlock(this.frame, `unit:${node.id}`, this.signal).then(() => {
      this.running--;
      this.settled(node);
    });
  }

  private settled(node: StepNode): void {
    this.left--;
    const ok = this.frame.scope.get(node.id)?.conclusion === 'succeeded';
    for (const dependent of this.dependents.get(node.id) ?? []) {
      if (!ok) this.blocked.add(dependent.id);
      const count = this.waiting.get(dependent.id)! - 1;
      this.waiting.set(dependent.id, count);
      if (count === 0) this.start(dependent);
    }
    this.checkEnd();
  }

  private checkEnd(): void {
    const stuck = this.frame.halt.halted() || this.signal.aborted;
    if (this.left === 0 || (stuck && this.running === 0)) this.finish();
  }
}
