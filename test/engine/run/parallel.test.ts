import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishedList, finishedOf, indexOf, installWaitFor, logLines, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-parallel-');
installWaitFor(dir);
const stamp = (name: string) => BigInt(readFileSync(join(dir, name), 'utf8').trim());

/** A branch that records its start, waits (bounded) until `other` has started too, then records its end. */
const meet = (me: string, other: string) =>
  // The stamp is moved into place whole: the other branch must not see the file before it holds the time.
  `date +%s%N > ${me}.tmp && mv ${me}.tmp ${me}.start; sh wait-for.sh ${other}.start; date +%s%N > ${me}.end; echo "${me}=yes" >> "$ARQ_OUTPUT"`;

describe('a parallel block', () => {
  it('runs its branches at the same time: each one sees the other start before it ends', async () => {
    const yaml = `
name: overlap
steps:
  - id: both
    parallel:
      - id: left
        run: ${JSON.stringify(meet('left', 'right'))}
      - id: right
        run: ${JSON.stringify(meet('right', 'left'))}
    outputs:
      pair: "\${{ steps.left.outputs.left }}+\${{ steps.right.outputs.right }}"
  - id: after
    uses: noop
    with: { l: "\${{ steps.left.outputs.left }}", r: "\${{ steps.right.outputs.right }}", pair: "\${{ steps.both.outputs.pair }}" }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    // Intervals [start, end] of the two branches intersect.
    expect(stamp('left.start')).toBeLessThan(stamp('right.end'));
    expect(stamp('right.start')).toBeLessThan(stamp('left.end'));
    // Both branches were reported started before either finished.
    const firstEnd = Math.min(indexOf(events, 'step.finished', 'left'), indexOf(events, 'step.finished', 'right'));
    expect(indexOf(events, 'step.started', 'left')).toBeLessThan(firstEnd);
    expect(indexOf(events, 'step.started', 'right')).toBeLessThan(firstEnd);
    expect(finishedList(events).slice(2)).toEqual(['both:succeeded', 'after:succeeded']);
    expect(finishedOf(events, 'both').outputs).toEqual({ pair: 'yes+yes' });
    expect(finishedOf(events, 'after').outputs).toEqual({ l: 'yes', r: 'yes', pair: 'yes+yes' });
  });

  it('stops starting new steps after a branch fails, lets running ones finish, then runs on_failure, then finally', async () => {
    const yaml = `
name: failfast
steps:
  - id: par
    parallel:
      - id: bad
        run: sh wait-for.sh s1.start; echo broken >&2; exit 3
      - id: slow
        steps:
          - id: s1
            run: touch s1.start; sh wait-for.sh go; echo s1 finished
          - id: s2
            run: touch s2.ran
  - id: after
    run: touch after.ran
on_failure:
  - id: report
    run: echo "s1=\${{ steps.s1.status }} s2=\${{ steps.s2.status }} slow=\${{ steps.slow.status }} run=\${{ run.status }}"
finally:
  - id: cleanup
    run: echo "cleanup \${{ run.status }}"
`;
    // s1 ends only once the failure of "bad" has been reported: it was running all along.
    const onEvent = (e: { type: string; step?: string }) => {
      if (e.type === 'step.finished' && e.step === 'bad') writeFileSync(join(dir, 'go'), '');
    };
    const { result, events } = await runText(yaml, dir, { onEvent: onEvent as never });
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "par" failed: Step "bad" failed: Command failed with exit code 3: sh wait-for.sh s1.start; echo broken >&2; exit 3\nbroken');
    expect(finishedList(events)).toEqual([
      'bad:failed', 's1:succeeded', 's2:skipped', 'slow:cancelled', 'par:failed', 'after:skipped', 'report:succeeded', 'cleanup:succeeded',
    ]);
    expect(logLines(events, 's1')).toEqual(['s1 finished']);
    expect(finishedOf(events, 's2').error).toBe('Not started: an earlier step failed');
    expect(finishedOf(events, 'slow').error).toMatch(/^Stopped: Step "bad" failed: Command failed with exit code 3/);
    expect(logLines(events, 'report')).toEqual(['s1=succeeded s2=skipped slow=cancelled run=failed']);
    expect(logLines(events, 'cleanup')).toEqual(['cleanup failed']);
    expect(indexOf(events, 'step.started', 'report')).toBeGreaterThan(indexOf(events, 'step.finished', 'par'));
    expect(indexOf(events, 'step.started', 'cleanup')).toBeGreaterThan(indexOf(events, 'step.finished', 'report'));
    expect(() => readFileSync(join(dir, 's2.ran'))).toThrow();
    expect(() => readFileSync(join(dir, 'after.ran'))).toThrow();
  });

  it('runs a branch whose if: calls always() even after a sibling failed', async () => {
    const yaml = `
name: always
steps:
  - id: par
    parallel:
      - id: bad
        uses: fail
        with: { message: nope }
      - id: chain
        steps:
          - id: wait
            run: sh wait-for.sh failed.flag
          - id: normal
            uses: noop
          - id: tidy
            if: \${{ always() }}
            uses: log
            with: { message: "failure=\${{ failure() }}" }
`;
    const onEvent = (e: { type: string; step?: string }) => {
      if (e.type === 'step.finished' && e.step === 'bad') writeFileSync(join(dir, 'failed.flag'), '');
    };
    const { result, events } = await runText(yaml, dir, { onEvent: onEvent as never });
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "par" failed: Step "bad" failed: nope');
    expect(finishedList(events)).toEqual(['bad:failed', 'wait:succeeded', 'normal:skipped', 'tidy:succeeded', 'chain:cancelled', 'par:failed']);
    expect(logLines(events, 'tidy')).toEqual(['failure=true']);
  });
});
