import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishedList, finishedOf, runText, tempDir, type RunEvent } from '../../helpers/workflow.js';

const dir = tempDir('arq-chain-');

/** started/finished events as `type:step`, in the order they were reported. */
const lifecycle = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'step.started' || e.type === 'step.finished' ? [`${e.type === 'step.started' ? 'start' : 'end'}:${e.step}`] : []));

const stamp = (name: string) => BigInt(readFileSync(join(dir, name), 'utf8').trim());

describe('a chain of steps', () => {
  it('runs its steps one after the other: each starts after the one before it has finished', async () => {
    const yaml = `
name: order
steps:
  - id: one
    run: date +%s%N > one.start; date +%s%N > one.end
  - id: two
    run: date +%s%N > two.start; date +%s%N > two.end
  - id: three
    run: date +%s%N > three.start; date +%s%N > three.end
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(lifecycle(events)).toEqual(['start:one', 'end:one', 'start:two', 'end:two', 'start:three', 'end:three']);
    expect(stamp('one.end')).toBeLessThanOrEqual(stamp('two.start'));
    expect(stamp('two.end')).toBeLessThanOrEqual(stamp('three.start'));
    const times = events.filter((e) => e.type === 'step.started' || e.type === 'step.finished').map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events[0]!.type).toBe('run.started');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded', workflow: 'order', outputs: {} });
  });

  it('passes outputs from $ARQ_OUTPUT and from decoded stdout to the steps after it', async () => {
    const yaml = `
name: outputs
steps:
  - id: produce
    run: echo '{"list":[1,2,3],"obj":{"k":"v"},"n":5,"flag":true,"name":"ann"}'
    outputs: { from: stdout, decode: json }
  - id: file
    run: |
      echo "count=$N" >> "$ARQ_OUTPUT"
      printf 'notes<<EOF\\nline 1\\nline 2\\nEOF\\n' >> "$ARQ_OUTPUT"
    env: { N: "\${{ steps.produce.outputs.n }}" }
  - id: consume
    uses: noop
    with:
      list: \${{ steps.produce.outputs.list }}
      obj: \${{ steps.produce.outputs.obj }}
      n: \${{ steps.produce.outputs.n }}
      flag: \${{ steps.produce.outputs.flag }}
      count: \${{ steps.file.outputs.count }}
      notes: \${{ steps.file.outputs.notes }}
      text: "list=\${{ steps.produce.outputs.list }} obj=\${{ steps.produce.outputs.obj }} n=\${{ steps.produce.outputs.n }} flag=\${{ steps.produce.outputs.flag }}"
  - id: script
    run: printf '%s|%s|%s\\n' "\${{ steps.consume.outputs.list }}" "\${{ steps.consume.outputs.n }}" "\${{ steps.consume.outputs.flag }}"
outputs:
  list: \${{ steps.consume.outputs.list }}
  second: \${{ steps.consume.outputs.list[1] }}
  count: \${{ steps.consume.outputs.count }}
  printed: \${{ steps.script.outputs.stdout }}
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['produce:succeeded', 'file:succeeded', 'consume:succeeded', 'script:succeeded']);
    expect(finishedOf(events, 'produce').outputs).toEqual({
      exit_code: 0, stdout: '{"list":[1,2,3],"obj":{"k":"v"},"n":5,"flag":true,"name":"ann"}', stderr: '',
      list: [1, 2, 3], obj: { k: 'v' }, n: 5, flag: true, name: 'ann',
    });
    expect(finishedOf(events, 'file').outputs).toEqual({ exit_code: 0, stdout: '', stderr: '', count: '5', notes: 'line 1\nline 2' });
    // A whole-value expression keeps its type; text around an expression makes a string.
    expect(finishedOf(events, 'consume').outputs).toEqual({
      list: [1, 2, 3], obj: { k: 'v' }, n: 5, flag: true, count: '5', notes: 'line 1\nline 2',
      text: 'list=[1,2,3] obj={"k":"v"} n=5 flag=true',
    });
    expect(result.outputs).toEqual({ list: [1, 2, 3], second: 2, count: '5', printed: '[1,2,3]|5|true' });
  });

  it('stops at the first failure: later steps are recorded as not started and the run fails with the message', async () => {
    const yaml = `
name: stops
steps:
  - id: ok
    run: echo fine
  - id: broken
    run: echo "bad thing" >&2; exit 3
  - id: later
    run: touch later.ran
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "broken" failed: Command failed with exit code 3: echo "bad thing" >&2; exit 3\nbad thing');
    expect(finishedList(events)).toEqual(['ok:succeeded', 'broken:failed', 'later:skipped']);
    expect(finishedOf(events, 'later').error).toBe('Not started: an earlier step failed');
    expect(result.steps.later).toMatchObject({ status: 'skipped', conclusion: 'skipped' });
    expect(() => readFileSync(join(dir, 'later.ran'))).toThrow();
  });

  it('reports steps without an id under a generated one, with their command as label', async () => {
    const { events } = await runText('name: anon\nsteps:\n  - run: echo hi\n  - uses: noop\n', dir);
    expect(events.filter((e) => e.type === 'step.finished').map((e) => [e.step, (e as { label: string }).label])).toEqual([
      ['step_1', 'echo hi'],
      ['step_2', 'noop'],
    ]);
  });
});
