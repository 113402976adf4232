/** Which `steps.ID` a step may read: only steps that have surely finished before it starts. */
import { describe, expect, it } from 'vitest';

import { problemsIn, yaml } from './helpers.js';

const UNREACHABLE = 'ref.unreachable';

describe('reading steps in a chain', () => {
  it('lets a step read the steps before it', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    run: echo a',
      '  - id: b',
      '    run: echo "${{ steps.a.outputs.stdout }}"',
      '  - id: c',
      '    if: ${{ steps.a.outcome == steps.b.outcome }}',
      '    run: echo c',
    ))).toEqual([]);
  });

  it('rejects a step that reads a later step', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    run: echo "${{ steps.b.outputs.stdout }}"',
      '  - id: b',
      '    run: echo b',
    ))).toEqual([[3, 16, UNREACHABLE, 'Step "b" runs after step "a"; a step can only read steps that run before it']]);
  });

  it('rejects a step that reads itself', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    env: { OLD: "${{ steps.a.outputs.stdout }}" }',
      '    run: echo a',
    ))).toEqual([[3, 18, UNREACHABLE, 'Step "a" cannot read its own results: they exist only once it has finished']]);
  });
});

describe('reading steps in a DAG', () => {
  const dag = (reads: string) => yaml(
    'steps:',
    '  - id: fetch',
    '    run: git fetch',
    '  - id: lint',
    '    needs: fetch',
    '    run: make lint',
    '  - id: build',
    '    needs: fetch',
    '    run: make',
    '  - id: test',
    '    needs: build',
    `    run: echo "\${{ steps.${reads}.outputs.stdout }}"`,
  );

  it('lets a step read what it needs, directly or through the steps it needs', async () => {
    expect(await problemsIn(dag('build'))).toEqual([]);
    expect(await problemsIn(dag('fetch'))).toEqual([]);
  });

  it('rejects a step that reads a step of another branch, which may still be running', async () => {
    expect(await problemsIn(dag('lint'))).toEqual([[12, 16, UNREACHABLE,
      'Step "lint" may still be running when step "test" starts: step "test" does not need "lint", directly or through its needs:; add "lint" to its needs:']]);
  });

  it('lets the steps after a group read every step of the DAG inside it', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: group',
      '    steps:',
      '      - id: left',
      '        run: echo left',
      '      - id: right',
      '        needs: []',
      '        run: echo right',
      '  - id: after',
      '    run: echo "${{ steps.left.outputs.stdout }} ${{ steps.right.outputs.stdout }}"',
    ))).toEqual([]);
  });

  it('names the step of the DAG that should need the step read, when the reader is nested in it', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: lint',
      '    needs: []',
      '    run: make lint',
      '  - id: checks',
      '    needs: []',
      '    steps:',
      '      - id: report',
      '        run: echo "${{ steps.lint.outputs.stdout }}"',
    ))).toEqual([[9, 20, UNREACHABLE,
      'Step "lint" may still be running when step "report" starts: step "checks" does not need "lint", directly or through its needs:; add "lint" to its needs:']]);
  });
});

describe('reading steps of a parallel block', () => {
  it('rejects a branch that reads another branch', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - parallel:',
      '      - id: disk',
      '        run: df',
      '      - steps:',
      '          - id: api',
      '            run: echo "${{ steps.disk.outputs.stdout }}"',
    ))).toEqual([[7, 24, UNREACHABLE,
      'Step "disk" runs in parallel with step "api", so it may not have finished; read it from a step after the parallel block']]);
  });

  it('lets the steps of one branch read each other in order, and the steps after the block read every branch', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - parallel:',
      '      - id: disk',
      '        run: df',
      '      - steps:',
      '          - id: start',
      '            run: ./start.sh',
      '          - id: check',
      '            run: echo "${{ steps.start.outputs.stdout }}"',
      '  - id: report',
      '    run: echo "${{ steps.disk.outputs.stdout }} ${{ steps.check.outputs.stdout }}"',
    ))).toEqual([]);
  });
});

describe('reading steps of a foreach body', () => {
  const foreach = (after: string) => yaml(
    'steps:',
    '  - id: each',
    '    foreach: [a, b]',
    '    steps:',
    '      - id: build',
    '        run: echo "${{ item }}"',
    '      - id: check',
    '        run: echo "${{ steps.build.outputs.stdout }}"',
    '    outputs:',
    '      built: ${{ steps.build.outputs.stdout }}',
    '  - id: report',
    `    run: echo "\${{ ${after} }}"`,
  );

  it('lets the body read its own earlier steps, and its outputs: read the body', async () => {
    expect(await problemsIn(foreach('steps.each.outputs'))).toEqual([]);
  });

  it('rejects a step outside the body that reads a step inside it', async () => {
    expect(await problemsIn(foreach('steps.build.outputs.stdout'))).toEqual([[12, 16, UNREACHABLE,
      'Step "build" runs once per item of foreach step "each", so it has no single result outside it; read the outputs of "each" instead (one entry per item)']]);
  });
});

describe('reading the inner steps of a composite step', () => {
  it('lets the outputs: of a group read its inner steps', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: group',
      '    steps:',
      '      - id: inner',
      '        run: echo inner',
      '    outputs:',
      '      value: ${{ steps.inner.outputs.stdout }}',
    ))).toEqual([]);
  });

  it('rejects the if: of a group that reads its own inner steps, which have not run yet', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: group',
      '    if: ${{ steps.inner.outcome }}',
      '    steps:',
      '      - id: inner',
      '        run: echo inner',
    ))).toEqual([[3, 9, UNREACHABLE,
      'Step "inner" is inside step "group" and has not run yet when this is read; only the outputs: of step "group" can read its inner steps']]);
  });

  it('rejects an inner step that reads the group around it, which finishes after it', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: group',
      '    steps:',
      '      - id: inner',
      '        run: echo "${{ steps.group.outputs.value }}"',
    ))).toEqual([[5, 20, UNREACHABLE,
      'Step "group" contains step "inner" and finishes only after it; read a step that runs before "group" instead']]);
  });
});

describe('reading steps from handlers and workflow outputs', () => {
  it('lets on_failure, finally and the workflow outputs read the main steps, and finally read on_failure', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: deploy',
      '    run: ./deploy.sh',
      'outputs:',
      '  deployed: ${{ steps.deploy.outputs.stdout }}',
      '  cleaned: ${{ steps.cleanup.status }}',
      'on_failure:',
      '  - id: rollback',
      '    run: ./rollback.sh "${{ steps.deploy.outputs.stdout }}"',
      'finally:',
      '  - id: cleanup',
      '    run: echo "${{ steps.deploy.status }} ${{ steps.rollback.status }}"',
    ))).toEqual([]);
  });

  it('rejects a main step that reads a handler step, which runs after it', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: deploy',
      '    run: echo "${{ steps.cleanup.status }}"',
      'finally:',
      '  - id: cleanup',
      '    run: ./cleanup.sh',
    ))).toEqual([[3, 16, UNREACHABLE, 'Step "cleanup" runs after step "deploy"; a step can only read steps that run before it']]);
  });

  it('rejects workflow outputs that read a step inside a foreach body', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: each',
      '    foreach: [a]',
      '    steps:',
      '      - id: body',
      '        run: echo "${{ item }}"',
      'outputs:',
      '  last: ${{ steps.body.outputs.stdout }}',
    ))).toEqual([[8, 9, UNREACHABLE,
      'Step "body" runs once per item of foreach step "each", so it has no single result outside it; read the outputs of "each" instead (one entry per item)']]);
  });
});
