/**
 * Driving a root machine (engine/compile/compile.ts rootMachine): each of its states is a section
 * of the workflow, run here as a block; when the section ends, the machine is sent how the run
 * stands (succeeded, failed, cancelled) and says what runs next; a signal sends it CANCEL.
 *
 * The machine has no context, guards or actions, so its next snapshot depends on the snapshot and
 * the event type alone: XState computes each transition once per machine (its pure `transition`
 * function) and the snapshot is kept. An XState actor per run cost about 0.9 ms before the JIT was
 * warm (0.2 ms warm): more than all the steps of a small run.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { Block } from '../model/types.js';
import type { RunStatus } from './events.js';
import type { Frame, Section } from './frame.js';
import { runSection } from './groups.js';
import { errorMessage } from './record.js';

interface Steps {
  readonly initial: AnyMachineSnapshot;
  readonly next: Map<AnyMachineSnapshot, Map<string, AnyMachineSnapshot>>;
}

const stepsByMachine = new WeakMap<AnyStateMachine, Steps>();

function stepsOf(machine: AnyStateMachine): Steps {
  let steps = stepsByMachine.get(machine);
  if (!steps) stepsByMachine.set(machine, (steps = { initial: initialTransition(machine)[0], next: new Map() }));
  return steps;
}

/** The root machine's snapshot after `type`, computed by XState the first time and kept. */
export function nextSnapshot(machine: AnyStateMachine, from: AnyMachineSnapshot, type: string): AnyMachineSnapshot {
  const { next } = stepsOf(machine);
  let byType = next.get(from);
  if (!byType) next.set(from, (byType = new Map()));
  let to = byType.get(type);
  if (!to) byType.set(type, (to = transition(machine, from, { type })[0]));
  return to;
}

/** The root machine's first snapshot (its `main` state), computed once. */
export function initialSnapshot(machine: AnyStateMachine): AnyMachineSnapshot {
  return stepsOf(machine).initial;
}

function blockOf(frame: Frame, section: Section): Block {
  const { workflow } = frame.instance.compiled;
  return section === 'main' ? workflow.main : section === 'on_failure' ? workflow.onFailure : workflow.finally;
}

/** Runs a section; what it threw (an engine bug), if it threw. */
async function runSectionOf(frame: Frame, section: Section, signal: AbortSignal): Promise<{ error: unknown } | undefined> {
  try {
    await runSection(frame, blockOf(frame, section).name, section, signal);
    return undefined;
  } catch (error) {
    return { error };
  }
}

/**
 * Runs the sections the root machine goes through, to one of its final states: the run's status.
 * A cancel that leaves a section stops its steps (the signal it runs with aborts); a cancel that
 * leaves the machine where it is (finally:) only marks the run cancelled.
 */
export async function runRoot(frame: Frame, signal?: AbortSignal): Promise<RunStatus> {
  const machine = frame.instance.machines.root();
  const { control } = frame.instance;
  let state = initialSnapshot(machine);
  let running: AbortController | undefined;
  let crash: { error: unknown } | undefined;
  const cancel = () => {
    const after = nextSnapshot(machine, state, 'CANCEL');
    if (after.value === state.value) {
      control.cancelled = true;
      return;
    }
    state = after;
    // The section's steps are stopped even if recording the waiting ones failed (an engine bug, rethrown below).
    try {
      control.cancel();
    } catch (error) {
      crash ??= { error };
    } finally {
      running?.abort();
    }
  };
  if (signal?.aborted) cancel();
  else signal?.addEventListener('abort', cancel, { once: true });
  try {
    while (state.status !== 'done') {
      const entered = state;
      running = new AbortController();
      const crashed = await runSectionOf(frame, entered.value as Section, running.signal);
      // A cancel while the section ran has already moved the machine on: what its stopped steps did
      // then is theirs (recorded as cancelled), as a stopped child actor's end was XState's.
      if (state !== entered) continue;
      // An engine bug fails the run loudly rather than ending it as a success.
      if (crashed) frame.instance.halts.main.fail(`Internal error: ${errorMessage(crashed.error)}`);
      state = settledSnapshot(machine, entered, frame.runStatus());
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  if (crash) throw crash.error;
  return state.value as RunStatus;
}

function settledSnapshot(machine: AnyStateMachine, from: AnyMachineSnapshot, standing: string): AnyMachineSnapshot {
  const to = nextSnapshot(machine, from, standing);
  if (to.value === from.value) throw new Error(`Internal error: the root machine has no transition for "${standing}" in state "${String(from.value)}"`);
  return to;
}
