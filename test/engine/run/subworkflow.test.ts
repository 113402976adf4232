import { describe, expect, it } from 'vitest';
import { finishedList, finishedOf, logLines, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-sub-');
writeFiles(dir, {
  'lib/greet.yaml': `
name: greet
inputs:
  who: { type: string, required: true }
  fail: { type: boolean, default: false }
secrets:
  pin: { env: CHILD_PIN, required: false }
steps:
  - id: hello
    run: |
      echo "pin=$P"
      echo "message=hello $W" >> "$ARQ_OUTPUT"
      if [ "$F" = true ]; then echo "cannot greet $W" >&2; exit 4; fi
    env: { W: "\${{ inputs.who }}", F: "\${{ inputs.fail }}", P: "\${{ secrets.pin }}" }
outputs:
  message: \${{ steps.hello.outputs.message }}
  who: \${{ inputs.who }}
finally:
  - id: child_cleanup
    uses: log
    with: { message: "child \${{ run.status }}" }
`,
});

const parent = `
name: parent
inputs:
  fail: { type: boolean, default: false }
steps:
  - id: call
    uses: workflow
    with: { path: lib/greet.yaml, inputs: { who: ann, fail: "\${{ inputs.fail }}" } }
  - id: use
    uses: noop
    with: { got: "\${{ steps.call.outputs.message }}", all: "\${{ steps.call.outputs }}" }
`;

describe('uses: workflow', () => {
  it('runs the sub-workflow with its inputs and returns its outputs; its steps report under the calling step', async () => {
    const { result, events } = await runText(parent, dir, { env: { CHILD_PIN: '8642-secret-pin', PATH: process.env.PATH } });
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['call/hello:succeeded', 'call/child_cleanup:succeeded', 'call:succeeded', 'use:succeeded']);
    expect(finishedOf(events, 'call').outputs).toEqual({ message: 'hello ann', who: 'ann' });
    expect(finishedOf(events, 'use').outputs).toEqual({ got: 'hello ann', all: { message: 'hello ann', who: 'ann' } });
    expect(logLines(events, 'call/child_cleanup')).toEqual(['child succeeded']);
    // The sub-workflow's own secrets are masked too.
    expect(logLines(events, 'call/hello')).toEqual(['pin=***']);
  });

  it('fails the calling step with the sub-workflow\'s message', async () => {
    const { result, events } = await runText(parent, dir, { inputs: { fail: true }, env: { PATH: process.env.PATH } });
    expect(result.status).toBe('failed');
    const message = 'Sub-workflow "greet" failed: Step "hello" failed: Command failed with exit code 4: echo "pin=$P"…\ncannot greet ann';
    expect(finishedOf(events, 'call').error).toBe(message);
    expect(result.error).toBe(`Step "call" failed: ${message}`);
    expect(finishedList(events)).toEqual(['call/hello:failed', 'call/child_cleanup:succeeded', 'call:failed', 'use:skipped']);
    expect(logLines(events, 'call/child_cleanup')).toEqual(['child failed']);
  });

  it('fails the calling step when an input computed at run time has the wrong type', async () => {
    const yaml = `
name: bad-input
steps:
  - id: n
    uses: noop
    with: { v: 3 }
  - id: call
    uses: workflow
    with: { path: lib/greet.yaml, inputs: { who: "\${{ steps.n.outputs.v }}" } }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'call').error).toBe('Input "who" must be a string; found the integer 3');
  });
});
