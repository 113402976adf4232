import { describe, expect, it } from 'vitest';
import { finishedEvents, finishedList, finishedOf, installWaitFor, maxRunning, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-foreach-');
installWaitFor(dir);

describe('foreach', () => {
  it('returns the outputs in item order even when the items finish in reverse order', async () => {
    // Item i waits until item i+1 is done, so the items finish last to first.
    const yaml = `
name: order
steps:
  - id: each
    foreach: [zero, one, two]
    run: |
      I=\${{ index }}
      if [ "$I" -lt 2 ]; then sh wait-for.sh "done-$(($I + 1))"; fi
      echo "name=\${{ item }}" >> "$ARQ_OUTPUT"
      touch "done-$I"
outputs:
  names: \${{ steps.each.outputs }}
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    // Each item's script ends after the next one's; the steps' own ends (process exit, outputs read)
    // may still cross, so only the set is exact, and the foreach ends last.
    const finished = finishedList(events);
    expect(finished.slice(0, 3).sort()).toEqual(['each[0]:succeeded', 'each[1]:succeeded', 'each[2]:succeeded']);
    expect(finished[3]).toBe('each:succeeded');
    const names = (result.outputs.names as { name: string }[]).map((o) => o.name);
    expect(names).toEqual(['zero', 'one', 'two']);
  });

  it('never runs more items at once than its concurrency', async () => {
    const yaml = `
name: limited
steps:
  - id: each
    foreach: [1, 2, 3, 4, 5, 6, 7]
    concurrency: 2
    run: echo "n=\${{ item }}" >> "$ARQ_OUTPUT"
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(maxRunning(events, (e) => e.step === 'each' && e.item !== undefined)).toBe(2);
    expect(finishedEvents(events).filter((e) => e.item !== undefined)).toHaveLength(7);
    expect((finishedOf(events, 'each').outputs as { n: string }[]).map((o) => o.n)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('gives a steps: body item and index, its own view of its steps, and an outputs: map per item', async () => {
    const yaml = `
name: body
inputs:
  regions: { type: list, default: [eu, us] }
steps:
  - id: prefix
    uses: noop
    with: { value: "r-" }
  - id: each
    foreach: \${{ inputs.regions }}
    steps:
      - id: name
        run: echo "full=\${{ steps.prefix.outputs.value }}\${{ item }}" >> "$ARQ_OUTPUT"
      - id: shout
        uses: noop
        with: { loud: "\${{ steps.name.outputs.full }}!", at: "\${{ index }}" }
    outputs:
      region: \${{ item }}
      position: \${{ index }}
      loud: \${{ steps.shout.outputs.loud }}
  - id: after
    uses: noop
    with: { second: "\${{ steps.each.outputs[1].loud }}", count: "\${{ steps.each.outputs.*.region }}" }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedOf(events, 'each').outputs).toEqual([
      { region: 'eu', position: 0, loud: 'r-eu!' },
      { region: 'us', position: 1, loud: 'r-us!' },
    ]);
    expect(finishedOf(events, 'shout', 1).outputs).toEqual({ loud: 'r-us!', at: 1 });
    expect(finishedOf(events, 'after').outputs).toEqual({ second: 'r-us!', count: ['eu', 'us'] });
  });

  it('stops starting items after one fails and fails with that item\'s message', async () => {
    const yaml = `
name: failing
steps:
  - id: each
    foreach: [a, b, c]
    concurrency: 1
    run: if [ "\${{ item }}" = b ]; then echo "no \${{ item }}" >&2; exit 2; fi
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(finishedList(events)).toEqual(['each[0]:succeeded', 'each[1]:failed', 'each:failed']);
    expect(finishedOf(events, 'each').error).toBe('Step "each" (item 1) failed: Command failed with exit code 2: if [ "${{ item }}" = b ]; then echo "no ${{ item }}" >&2; exit 2; fi\nno b');
  });

  it('applies the foreach step\'s own env: to every item', async () => {
    const yaml = 'name: env\nsteps:\n  - id: each\n    foreach: [a, b]\n    env: { PREFIX: "p-" }\n    run: echo "$PREFIX${{ item }}"\n';
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect([0, 1].map((i) => finishedOf(events, 'each', i).outputs)).toEqual([
      { exit_code: 0, stdout: 'p-a', stderr: '' },
      { exit_code: 0, stdout: 'p-b', stderr: '' },
    ]);
  });

  it('fails when its expression does not yield a list', async () => {
    const { result, events } = await runText('name: notalist\nsteps:\n  - id: each\n    foreach: ${{ 42 }}\n    uses: noop\n', dir);
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'each').error).toBe('foreach: expected a list; found the integer 42');
  });

  it('gives an item whose one body step was skipped or failed with continue_on_error empty outputs, and goes on', async () => {
    const yaml = `
name: mixed
steps:
  - id: each
    foreach: [ok, skip, bad, ok2]
    concurrency: 1
    steps:
      - id: body
        if: \${{ item != 'skip' }}
        continue_on_error: true
        run: if [ "\${{ item }}" = bad ]; then exit 3; fi; echo "v=\${{ item }}" >> "$ARQ_OUTPUT"
outputs:
  all: \${{ steps.each.outputs }}
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['body[0]:succeeded', 'body[1]:skipped', 'body[2]:failed', 'body[3]:succeeded', 'each:succeeded']);
    expect(finishedOf(events, 'body', 2)).toMatchObject({ error: 'Command failed with exit code 3: if [ "${{ item }}" = bad ]; then exit 3; fi; echo "v=${{ item }}" >> "$ARQ_OUTPUT"', continued: true });
    expect(result.outputs.all).toEqual([{ exit_code: 0, stdout: '', stderr: '', v: 'ok' }, {}, {}, { exit_code: 0, stdout: '', stderr: '', v: 'ok2' }]);
  });

  it('gives an empty list for no items', async () => {
    const { result } = await runText('name: empty\nsteps:\n  - id: each\n    foreach: []\n    uses: noop\noutputs:\n  all: ${{ steps.each.outputs }}\n', dir);
    expect(result).toMatchObject({ status: 'succeeded', outputs: { all: [] } });
  });
});

describe('foreach outputs that cannot be evaluated', () => {
  it('fail the foreach like a failed item: no new item starts and the next step does not run', async () => {
    const { result, events } = await runText(`
name: bad-outputs
steps:
  - id: each
    foreach: ["{", "1", "2"]
    concurrency: 1
    steps:
      - id: body
        uses: noop
    outputs:
      v: \${{ fromJSON(item) }}
  - id: next
    uses: noop
`, dir);
    expect(result.status).toBe('failed');
    expect(finishedList(events)).toEqual(['body[0]:succeeded', 'each:failed', 'next:skipped']);
    expect(result.error).toMatch(/^Step "each" \(item 0\) outputs: Expression `fromJSON\(item\)` failed: /);
  });
});

describe('defaults and a foreach with an inline body', () => {
  it('apply the workflow defaults to each item as to any action step', async () => {
    const { result, events } = await runText(`
name: defaults-foreach
defaults: { timeout: 300ms, continue_on_error: true }
steps:
  - id: each
    foreach: [1]
    run: echo started; sleep 5
`, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedOf(events, 'each', 0)).toMatchObject({ status: 'failed', error: 'Timed out after 300ms', continued: true });
  });
});
