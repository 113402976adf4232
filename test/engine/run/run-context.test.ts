import { describe, expect, it } from 'vitest';
import { runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-run-context-');

describe('the run context: run.error and run.rehearse', () => {
  it('gives finally: the first failure of the run, and null while nothing failed', async () => {
    const yaml = (fail: boolean) => `name: ctx
steps:
  - id: before
    run: echo "error=\${{ run.error }}" >> "$ARQ_OUTPUT"
  - id: broken
    if: \${{ ${fail} }}
    uses: fail
    with: { message: disk full }
finally:
  - id: after
    run: echo "error=\${{ run.error }}" >> "$ARQ_OUTPUT"
outputs:
  before: \${{ steps.before.outputs.error }}
  after: \${{ steps.after.outputs.error }}
  rehearse: \${{ run.rehearse }}
`;
    expect((await runText(yaml(true), dir)).result.outputs).toEqual({ before: '', after: 'Step "broken" failed: disk full', rehearse: false });
    expect((await runText(yaml(false), dir)).result.outputs).toEqual({ before: '', after: '', rehearse: false });
  });

  it('tells a rehearsal, in expressions and as ARQ_REHEARSE=1 to processes', async () => {
    const { result } = await runText(`name: rehearsal
steps:
  - id: env
    run: echo "value=\${ARQ_REHEARSE:-unset}" >> "$ARQ_OUTPUT"
outputs:
  rehearse: \${{ run.rehearse }}
  env: \${{ steps.env.outputs.value }}
`, dir, { rehearse: true });
    expect(result.outputs).toEqual({ rehearse: true, env: '1' });
  });
});
