import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { compileWorkflow, STANDINGS } from '../../../engine/compile/compile.js';
import { Machines } from '../../../engine/run/machines.js';
import { initialSnapshot, nextSnapshot } from '../../../engine/run/root.js';
import { checkText, finishedList, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-root-');
const EVENTS = [...STANDINGS, 'CANCEL'];

const outlines: Record<string, string> = {
  'no handlers': 'name: a\nsteps:\n  - uses: noop\n',
  'on_failure only': 'name: b\nsteps:\n  - uses: noop\non_failure:\n  - uses: noop\n',
  'finally only': 'name: c\nsteps:\n  - uses: noop\nfinally:\n  - uses: noop\n',
  'both': 'name: d\nsteps:\n  - uses: noop\non_failure:\n  - uses: noop\nfinally:\n  - uses: noop\n',
};

async function rootOf(yaml: string): Promise<AnyStateMachine> {
  return new Machines(compileWorkflow(await checkText(yaml, dir))).root();
}

/** Every sequence of events from the initial state, as the states it goes through, until a final state. */
function paths(machine: AnyStateMachine): string[][] {
  const out: string[][] = [];
  const walk = (state: AnyMachineSnapshot, path: string[]) => {
    if (path.length > 8) throw new Error(`a path that does not end: ${path.join(' ')}`);
    if (state.status === 'done') return out.push(path);
    for (const type of EVENTS) {
      const next = nextSnapshot(machine, state, type);
      // CANCEL during finally: stays (its steps run on); a standing always moves on.
      if (next.value === state.value) expect([type, state.value]).toEqual(['CANCEL', 'finally']);
      else walk(next, [...path, `${type}->${String(next.value)}`]);
    }
    return undefined;
  };
  walk(initialSnapshot(machine), [String(initialSnapshot(machine).value)]);
  return out;
}

describe('the root machine', () => {
  it('ends in the final state named by how the run stands, on every path, whatever handlers the workflow has', async () => {
    const counts: number[] = [];
    for (const yaml of Object.values(outlines)) {
      const found = paths(await rootOf(yaml));
      counts.push(found.length);
      for (const path of found) {
        const [last] = path.at(-1)!.split('->').reverse();
        expect(STANDINGS).toContain(last);
        // The last event says how the run stands; a cancel ends it cancelled.
        const event = path.at(-1)!.split('->')[0]!;
        expect(last).toBe(event === 'CANCEL' ? 'cancelled' : event);
      }
    }
    // no handlers: 4 events from main; on_failure adds 4 after failed; finally: each way into it, 3 ways out.
    expect(counts).toEqual([4, 7, 12, 21]);
  });

  it('runs on_failure only after main failed, and finally after every section', async () => {
    const machine = await rootOf(outlines.both!);
    const after = (...types: string[]) => types.reduce((state, type) => nextSnapshot(machine, state, type), initialSnapshot(machine)).value;
    expect(initialSnapshot(machine).value).toBe('main');
    expect(after('succeeded')).toBe('finally');
    expect(after('failed')).toBe('on_failure');
    expect(after('failed', 'failed')).toBe('finally');
    expect(after('failed', 'CANCEL')).toBe('finally');
    expect(after('CANCEL', 'CANCEL')).toBe('finally');
    expect(after('failed', 'failed', 'failed')).toBe('failed');
    expect(after('CANCEL', 'cancelled')).toBe('cancelled');
  });

  it('asks XState for each transition once per machine, and workflows of the same outline share the machine', async () => {
    const machine = await rootOf(outlines.both!);
    const first = nextSnapshot(machine, initialSnapshot(machine), 'failed');
    expect(nextSnapshot(machine, initialSnapshot(machine), 'failed')).toBe(first);
    expect(await rootOf(outlines.both!.replace('name: d', 'name: other'))).toBe(machine);
    expect(await rootOf(outlines['no handlers']!)).not.toBe(machine);
  });

  it('runs the sections it goes through: a failure runs on_failure, then finally, and the run fails', async () => {
    const yaml = 'name: r\nsteps:\n  - { id: bad, uses: fail, with: { message: no } }\non_failure:\n  - { id: undo, uses: noop }\nfinally:\n  - { id: tidy, uses: noop }\n';
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "bad" failed: no');
    expect(finishedList(events)).toEqual(['bad:failed', 'undo:succeeded', 'tidy:succeeded']);
  });
});
