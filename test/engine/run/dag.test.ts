import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishedList, finishedOf, indexOf, installWaitFor, logLines, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-dag-');
installWaitFor(dir);
const stamp = (name: string) => BigInt(readFileSync(join(dir, name), 'utf8').trim());

describe('a DAG (a list with needs:)', () => {
  it('starts a step only after every step it needs has finished', async () => {
    const yaml = `
name: diamond
steps:
  - id: join
    needs: [left, right]
    run: date +%s%N > join.start; echo "got $L and $R"
    env: { L: "\${{ steps.left.outputs.v }}", R: "\${{ steps.right.outputs.v }}" }
  - id: left
    needs: root
    run: echo "v=L$V" >> "$ARQ_OUTPUT"; date +%s%N > left.end
    env: { V: "\${{ steps.root.outputs.v }}" }
  - id: right
    needs: root
    run: echo "v=R$V" >> "$ARQ_OUTPUT"; date +%s%N > right.end
    env: { V: "\${{ steps.root.outputs.v }}" }
  - id: root
    run: echo "v=0" >> "$ARQ_OUTPUT"; date +%s%N > root.end
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    const order = finishedList(events);
    expect(order[0]).toBe('root:succeeded');
    expect(order.slice(1, 3).sort()).toEqual(['left:succeeded', 'right:succeeded']);
    expect(order[3]).toBe('join:succeeded');
    expect(indexOf(events, 'step.started', 'left')).toBeGreaterThan(indexOf(events, 'step.finished', 'root'));
    expect(indexOf(events, 'step.started', 'join')).toBeGreaterThan(indexOf(events, 'step.finished', 'left'));
    expect(indexOf(events, 'step.started', 'join')).toBeGreaterThan(indexOf(events, 'step.finished', 'right'));
    expect(stamp('left.end')).toBeLessThanOrEqual(stamp('join.start'));
    expect(stamp('right.end')).toBeLessThanOrEqual(stamp('join.start'));
    expect(logLines(events, 'join')).toEqual(['got L0 and R0']);
  });

  it('runs independent steps at the same time', async () => {
    const yaml = `
name: independent
steps:
  - id: a
    run: touch a.start; sh wait-for.sh b.start
  - id: b
    run: touch b.start; sh wait-for.sh a.start
  - id: c
    needs: [a, b]
    uses: noop
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedList(events).slice(2)).toEqual(['c:succeeded']);
    const firstEnd = Math.min(indexOf(events, 'step.finished', 'a'), indexOf(events, 'step.finished', 'b'));
    expect(indexOf(events, 'step.started', 'b')).toBeLessThan(firstEnd);
  });

  it('skips the steps that need a skipped step, transitively, unless their if: uses a status function', async () => {
    const yaml = `
name: skips
steps:
  - id: gate
    if: \${{ false }}
    run: touch gate.ran
  - id: child
    needs: gate
    run: touch child.ran
  - id: grandchild
    needs: child
    uses: noop
  - id: anyway
    needs: child
    if: \${{ always() }}
    uses: log
    with: { message: "child is \${{ steps.child.status }}" }
  - id: free
    uses: noop
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedList(events).sort()).toEqual(['anyway:succeeded', 'child:skipped', 'free:succeeded', 'gate:skipped', 'grandchild:skipped'].sort());
    expect(finishedOf(events, 'gate').error).toBe('Skipped: its if: condition was false');
    expect(finishedOf(events, 'child').error).toBe('Skipped: it needs "gate", which was skipped');
    expect(finishedOf(events, 'grandchild').error).toBe('Skipped: it needs "child", which was skipped');
    expect(logLines(events, 'anyway')).toEqual(['child is skipped']);
    expect(result.steps.gate).toMatchObject({ status: 'skipped', outcome: 'skipped', conclusion: 'skipped' });
  });

  it('after a failure, skips what needs the failed step, finishes what runs, and starts nothing new', async () => {
    const yaml = `
name: failing
steps:
  - id: slow
    run: touch slow.start; sh wait-for.sh bad.done; echo "slow=done" >> "$ARQ_OUTPUT"
  - id: bad
    run: sh wait-for.sh slow.start; touch bad.done; exit 5
  - id: after_bad
    needs: bad
    run: touch after_bad.ran
  - id: after_slow
    needs: slow
    run: touch after_slow.ran
  - id: report
    needs: [bad, slow]
    if: \${{ failure() }}
    uses: log
    with: { message: "bad=\${{ steps.bad.status }} slow=\${{ steps.slow.status }}" }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "bad" failed: Command failed with exit code 5: sh wait-for.sh slow.start; touch bad.done; exit 5');
    expect(finishedList(events)).toEqual(['bad:failed', 'after_bad:skipped', 'slow:succeeded', 'after_slow:skipped', 'report:succeeded']);
    expect(finishedOf(events, 'after_bad').error).toBe('Skipped: it needs "bad", which failed');
    expect(finishedOf(events, 'after_slow').error).toBe('Not started: an earlier step failed');
    expect(logLines(events, 'report')).toEqual(['bad=failed slow=succeeded']);
    expect(() => readFileSync(join(dir, 'after_slow.ran'))).toThrow();
  });

  it('skips a long chain of needs in a loop, not by recursion (10,000 steps)', async () => {
    const steps = ['  - id: s0\n    if: ${{ false }}\n    uses: noop'];
    for (let i = 1; i < 10000; i++) steps.push(`  - id: s${i}\n    needs: s${i - 1}\n    uses: noop`);
    const { result, events } = await runText(`name: cascade\nsteps:\n${steps.join('\n')}\n`, dir);
    expect(result.status).toBe('succeeded');
    const finished = finishedList(events);
    expect(finished).toHaveLength(10000);
    expect(finished.every((f) => f.endsWith(':skipped'))).toBe(true);
    expect(finishedOf(events, 's9999').error).toBe('Skipped: it needs "s9998", which was skipped');
  });
});
