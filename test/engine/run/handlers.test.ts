import { describe, expect, it } from 'vitest';
import { finishedList, finishedOf, logLines, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-handlers-');

describe('if:', () => {
  it('skips a step whose condition is false and shows it as skipped to later steps', async () => {
    const yaml = `
name: conditions
inputs:
  go: { type: boolean, default: false }
steps:
  - id: maybe
    if: \${{ inputs.go }}
    run: echo "ran=yes" >> "$ARQ_OUTPUT"
  - id: bare
    if: inputs.go == false
    uses: noop
  - id: show
    uses: log
    with: { message: "maybe=\${{ steps.maybe.status }} bare=\${{ steps.bare.status }} out=\${{ steps.maybe.outputs.ran }}" }
`;
    const off = await runText(yaml, dir);
    expect(off.result.status).toBe('succeeded');
    expect(finishedList(off.events)).toEqual(['maybe:skipped', 'bare:succeeded', 'show:succeeded']);
    expect(finishedOf(off.events, 'maybe')).toMatchObject({ error: 'Skipped: its if: condition was false', duration_ms: 0 });
    expect(logLines(off.events, 'show')).toEqual(['maybe=skipped bare=succeeded out=']);
    expect(off.result.steps.maybe).toEqual({ status: 'skipped', outcome: 'skipped', conclusion: 'skipped', outputs: {}, error: 'Skipped: its if: condition was false' });

    const on = await runText(yaml, dir, { inputs: { go: true } });
    expect(finishedList(on.events)).toEqual(['maybe:succeeded', 'bare:skipped', 'show:succeeded']);
    expect(logLines(on.events, 'show')).toEqual(['maybe=succeeded bare=skipped out=yes']);
  });
});

describe('continue_on_error', () => {
  it('records the step as failed, concludes succeeded, and lets the run go on and succeed', async () => {
    const yaml = `
name: tolerant
steps:
  - id: flaky
    run: echo oops >&2; exit 4
    continue_on_error: true
  - id: next
    uses: log
    with: { message: "status=\${{ steps.flaky.status }} outcome=\${{ steps.flaky.outcome }} conclusion=\${{ steps.flaky.conclusion }} failure=\${{ failure() }}" }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(result.error).toBeUndefined();
    expect(finishedList(events)).toEqual(['flaky:failed', 'next:succeeded']);
    expect(finishedOf(events, 'flaky')).toMatchObject({ status: 'failed', continued: true, error: 'Command failed with exit code 4: echo oops >&2; exit 4\noops' });
    expect(result.steps.flaky).toMatchObject({ status: 'failed', outcome: 'failed', conclusion: 'succeeded' });
    expect(logLines(events, 'next')).toEqual(['status=failed outcome=failed conclusion=succeeded failure=false']);
  });

  it('covers a whole group: the group fails, the run does not', async () => {
    const yaml = `
name: tolerant-group
steps:
  - id: group
    continue_on_error: true
    steps:
      - id: inner
        uses: fail
        with: { message: inner broke }
      - id: inner_after
        uses: noop
  - id: next
    uses: noop
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['inner:failed', 'inner_after:skipped', 'group:failed', 'next:succeeded']);
    expect(finishedOf(events, 'group')).toMatchObject({ error: 'Step "inner" failed: inner broke', continued: true });
  });
});

describe('on_failure and finally', () => {
  const handlers = `
on_failure:
  - id: rollback
    uses: log
    with: { message: "rollback after \${{ steps.deploy.status }}; success=\${{ success() }} failure=\${{ failure() }} run=\${{ run.status }}" }
  - id: rollback_if_success
    if: \${{ success() }}
    uses: noop
finally:
  - id: broken_cleanup
    uses: fail
    with: { message: cleanup broke }
  - id: cleanup
    uses: log
    with: { message: "cleanup; success=\${{ success() }} failure=\${{ failure() }} always=\${{ always() }} run=\${{ run.status }}" }
  - id: only_on_failure
    if: \${{ failure() }}
    uses: log
    with: { message: the run failed }
  - id: only_on_success
    if: \${{ success() }}
    uses: noop
`;

  it('after a failure: on_failure runs, then finally; a failing finally step does not stop the next one; exit status stays failed', async () => {
    const yaml = `name: failing\nsteps:\n  - id: deploy\n    uses: fail\n    with: { message: deploy broke }\n  - id: verify\n    uses: noop\n${handlers}`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "deploy" failed: deploy broke');
    expect(finishedList(events)).toEqual([
      'deploy:failed', 'verify:skipped',
      'rollback:succeeded', 'rollback_if_success:skipped',
      'broken_cleanup:failed', 'cleanup:succeeded', 'only_on_failure:succeeded', 'only_on_success:skipped',
    ]);
    expect(logLines(events, 'rollback')).toEqual(['rollback after failed; success=false failure=true run=failed']);
    expect(logLines(events, 'cleanup')).toEqual(['cleanup; success=false failure=true always=true run=failed']);
    expect(logLines(events, 'only_on_failure')).toEqual(['the run failed']);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed', error: 'Step "deploy" failed: deploy broke' });
  });

  it('after a success: on_failure is passed over, finally runs, and a failing finally step fails the run', async () => {
    const yaml = `name: passing\nsteps:\n  - id: deploy\n    uses: noop\n${handlers}`;
    const { result, events } = await runText(yaml, dir);
    expect(finishedList(events)).toEqual([
      'deploy:succeeded', 'broken_cleanup:failed', 'cleanup:succeeded', 'only_on_failure:succeeded', 'only_on_success:skipped',
    ]);
    // The first finally step failed: from then on failure() is true and the run has failed.
    expect(logLines(events, 'cleanup')).toEqual(['cleanup; success=false failure=true always=true run=failed']);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "broken_cleanup" failed: cleanup broke');
  });

  it('after a success with handlers that pass: finally sees success() and the run succeeds', async () => {
    const yaml = `
name: clean
steps:
  - id: deploy
    uses: noop
on_failure:
  - id: rollback
    run: touch rollback.ran
finally:
  - id: cleanup
    uses: log
    with: { message: "success=\${{ success() }} failure=\${{ failure() }} run=\${{ run.status }} deploy=\${{ steps.deploy.status }}" }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['deploy:succeeded', 'cleanup:succeeded']);
    expect(logLines(events, 'cleanup')).toEqual(['success=true failure=false run=succeeded deploy=succeeded']);
  });

  it('on_failure cannot turn a failure into a success, and a failing on_failure step stops the rest of on_failure', async () => {
    const yaml = `
name: no-rescue
steps:
  - id: deploy
    uses: fail
    with: { message: deploy broke }
on_failure:
  - id: first_aid
    uses: fail
    with: { message: rollback broke }
  - id: second_aid
    uses: noop
finally:
  - id: cleanup
    uses: noop
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "deploy" failed: deploy broke');
    expect(finishedList(events)).toEqual(['deploy:failed', 'first_aid:failed', 'second_aid:skipped', 'cleanup:succeeded']);
  });

  it('runs a failure inside a group through on_failure with the group\'s message', async () => {
    const yaml = `
name: group-failure
steps:
  - id: outer
    steps:
      - id: inner
        run: exit 6
outputs:
  inner: \${{ steps.inner.status }}
on_failure:
  - id: report
    uses: log
    with: { message: "\${{ steps.outer.error }}" }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "outer" failed: Step "inner" failed: Command failed with exit code 6: exit 6');
    expect(result.outputs).toEqual({ inner: 'failed' });
    expect(logLines(events, 'report')).toEqual(['Step "inner" failed: Command failed with exit code 6: exit 6']);
  });
});
