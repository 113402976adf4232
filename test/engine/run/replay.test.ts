/** A resumed run's steps end as a fresh run's would: the journal only says which ran already. */
import { describe, expect, it } from 'vitest';
import { replayOf } from '../../../engine/run/replay.js';
import { finishedList, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-replay-');
const failing = 'Step "b" failed: Expression `fromJSON(inputs.bad)` failed: Error parsing JSON when evaluating fromJson: Unexpected token \'x\', "x" is not valid JSON';

const workflow = (needs: string) => `name: r
inputs:
  bad: { type: string, default: "x" }
steps:
  - { id: a, uses: noop }
  - id: b
    if: \${{ fromJSON(inputs.bad) }}
    uses: noop${needs}
  - { id: c, uses: noop${needs ? ', needs: a' : ''} }
`;

describe('a resumed run', () => {
  it('fails a step whose if: cannot be evaluated, as a fresh run does: in a chain the rest is not started, in a DAG what does not need it runs', async () => {
    const shapes = [
      { needs: '', finished: ['a:succeeded', 'b:failed', 'c:skipped'] },
      { needs: '\n    needs: a', finished: ['a:succeeded', 'b:failed', 'c:succeeded'] },
    ];
    for (const { needs, finished } of shapes) {
      for (const replay of [undefined, replayOf([])]) {
        const { result, events } = await runText(workflow(needs), dir, { replay });
        expect([result.status, result.error]).toEqual(['failed', failing]);
        expect(finishedList(events)).toEqual(finished);
      }
    }
  });

  it('takes a step that succeeded from the journal and runs the others', async () => {
    const journal = [{ type: 'step.finished', step: 'a', status: 'succeeded', outputs: { v: 1 }, time: 0 }];
    const { result, events } = await runText('name: r\nsteps:\n  - { id: a, uses: noop }\n  - { id: c, uses: noop }\n', dir, { replay: replayOf(journal) });
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['a:succeeded', 'c:succeeded']);
    expect(result.steps.a?.outputs).toEqual({ v: 1 });
  });
});
