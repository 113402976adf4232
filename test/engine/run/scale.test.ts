import { describe, expect, it } from 'vitest';
import { finishedEvents, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-scale-');

/** Counts step.finished events by status. */
function statusCounts(events: Parameters<typeof finishedEvents>[0]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of finishedEvents(events)) counts[e.status] = (counts[e.status] ?? 0) + 1;
  return counts;
}

describe('wide and large workflows finish', () => {
  it('runs a 10,000-node DAG of noop steps (100 chains of 100 needs)', { timeout: 60_000 }, async () => {
    const steps: string[] = [];
    for (let i = 0; i < 10_000; i++) steps.push(`  - id: n${i}\n    uses: noop${i % 100 ? `\n    needs: n${i - 1}` : ''}`);
    const { result, events } = await runText(`name: dag10k\nsteps:\n${steps.join('\n')}\n`, dir);
    expect(result.status).toBe('succeeded');
    expect(statusCounts(events)).toEqual({ succeeded: 10_000 });
  });

  it('runs a foreach over 1,000 items', { timeout: 60_000 }, async () => {
    const yaml = `
name: foreach1k
steps:
  - id: items
    run: seq 0 999 | paste -sd, - | sed 's/.*/[&]/'
    outputs: { from: stdout, decode: json }
  - id: each
    foreach: \${{ steps.items.outputs.value }}
    uses: noop
    with: { n: "\${{ item }}" }
outputs:
  all: \${{ steps.each.outputs }}
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    // 1,000 items, the foreach step itself and the step making the list.
    expect(statusCounts(events)).toEqual({ succeeded: 1_002 });
    expect(result.outputs.all).toEqual(Array.from({ length: 1000 }, (_, i) => ({ n: i })));
  });

  it('runs a parallel block of 1,000 branches', { timeout: 60_000 }, async () => {
    const branches = Array.from({ length: 1000 }, (_, i) => `      - { id: b${i}, uses: noop, with: { i: ${i} } }`);
    const yaml = `name: parallel1k\nsteps:\n  - id: wide\n    parallel:\n${branches.join('\n')}\n  - id: last\n    uses: noop\n    with: { i: "\${{ steps.b999.outputs.i }}" }\n`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(statusCounts(events)).toEqual({ succeeded: 1_002 });
    expect(result.steps.last!.outputs).toEqual({ i: 999 });
  });
});
