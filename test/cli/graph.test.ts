/** `arq graph FILE`: the compiled machines, drawn. */
import { describe, expect, it } from 'vitest';
import { compileWorkflow, machineId } from '../../engine/compile/compile.js';
import { runCli } from '../helpers/cli.js';
import { checkText, tempDir, writeFiles } from '../helpers/workflow.js';

const dir = tempDir('arq-cli-graph-');

const chain = `
name: release
steps:
  - id: build
    run: echo build
    retry: { attempts: 2, backoff: 1s }
    timeout: 10s
  - id: checks
    parallel:
      - { id: lint, uses: noop }
      - { id: unit, uses: noop }
on_failure:
  - id: rollback
    uses: noop
finally:
  - id: tidy
    uses: noop
`;
const dag = `
name: dag
steps:
  - { id: fetch, uses: noop }
  - { id: compile, needs: fetch, uses: noop }
  - { id: test, needs: [compile], uses: noop }
`;
writeFiles(dir, { 'chain.yaml': chain, 'dag.yaml': dag });

describe('arq graph', () => {
  it('prints the root and block machines as a Mermaid state diagram: a chain as its coordinator, every step a unit machine, in order', async () => {
    const result = await runCli(['graph', 'chain.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const compiled = compileWorkflow(await checkText(chain, dir, 'chain.yaml'));
    const main = machineId(compiled.workflow.main.name);
    const out = result.stdout;
    expect(out.startsWith('stateDiagram-v2\n  state "wf" as wf {\n    [*] --> wf__main\n')).toBe(true);
    const m = main.replace(':', '_');
    expect(out).toContain(`    state "main ⟶ ${main}" as wf__main\n`);
    expect(out).toContain(
      `  state "${main}" as ${m} {\n    [*] --> ${m}__chain\n    state "chain ⟶ chain coordinator (the steps in order: each its step actor, in a unit:ID machine when it retries or times out)" as ${m}__chain\n`,
    );
    expect(out).toContain(
      '  state "unit:build" as unit_build {\n    [*] --> unit_build__build\n    state "build" as unit_build__build {\n      [*] --> unit_build__build__attempt\n      state "attempt (step)" as unit_build__build__attempt\n' +
        '      state "stopping_fail (stopped)" as unit_build__build__stopping_fail\n      state "stopping_retry (stopped)" as unit_build__build__stopping_retry\n      state "backoff (backoff)" as unit_build__build__backoff\n    }\n',
    );
    for (const edge of [
      `  ${m}__chain --> ${m}___done : done [chainDone]`,
      `  ${m}__chain --> ${m}___failed : done`,
      `  ${m}__chain --> unit_build : starts`,
      '  unit_build --> unit_checks : then',
      '  unit_build__build__attempt --> unit_build___done : done',
      '  unit_build__build__attempt --> unit_build__build__backoff : error [canRetry]',
      '  unit_build__build__attempt --> unit_build__build__stopping_retry : after timeout:build [canRetry]',
      '  unit_build__build__stopping_retry --> unit_build__build__backoff : done',
      '  unit_build__build__backoff --> unit_build__build__attempt : done',
      '  unit_checks__checks --> unit_checks___done : done',
      '  wf__main --> wf__on_failure : failed',
      '  wf__main --> wf__finally : succeeded',
      '  wf__main --> wf__finally : CANCEL',
      '  wf__on_failure --> wf__finally : failed',
      '  wf__finally --> wf__failed : failed',
      '  wf__finally --> wf__cancelled : cancelled',
    ]) expect(out).toContain(`${edge}\n`);
    expect(out).toMatch(/  state "unit:checks" as unit_checks \{\n    \[\*\] --> unit_checks__checks\n    state "checks ⟶ block:block\d+, block:block\d+" as unit_checks__checks\n/);
    for (const step of ['lint', 'unit', 'rollback', 'tidy']) expect(out).toContain(`    state "${step} (step)" as unit_${step}__${step}\n`);
  });

  it('prints the machines as DOT', async () => {
    const result = await runCli(['graph', 'chain.yaml', '--format', 'dot'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('digraph arq {\n  compound=true;\n  subgraph cluster_wf {\n')).toBe(true);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    expect(result.stdout).toContain('  unit_lint__lint [label="lint (step)", shape=ellipse];\n');
    expect(result.stdout).toContain('  wf__main -> wf__on_failure [label="failed"];\n');
  });

  it('prints exactly the compiled configs as JSON', async () => {
    const result = await runCli(['graph', 'chain.yaml', '--format', 'json'], dir);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { root: unknown; blocks: Record<string, unknown> };
    const compiled = compileWorkflow(await checkText(chain, dir, 'chain.yaml'));
    expect(printed.root).toEqual(compiled.root);
    const blocks = [...compiled.blocks.values()].filter((b) => b.steps.length > 0);
    const names = [...blocks.map((b) => b.name), ...blocks.flatMap((b) => b.steps.map((step) => `unit:${step.id}`))];
    expect(printed.blocks).toEqual(Object.fromEntries(names.map((n) => [n, compiled.block(n)])));
  });

  it('draws a DAG as its coordinator, one unit machine per step, and the needs between them', async () => {
    const result = await runCli(['graph', 'dag.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('state "dag ⟶ dag coordinator (a child per step: its step actor, in a unit:ID machine when it retries or times out)"');
    for (const step of ['fetch', 'compile', 'test']) expect(result.stdout).toContain(`  state "unit:${step}" as unit_${step} {\n    [*] --> unit_${step}__${step}\n    state "${step} (step)" as unit_${step}__${step}\n`);
    expect(result.stdout).toContain('  unit_fetch --> unit_compile : needs\n  unit_compile --> unit_test : needs\n');
    const json = JSON.parse((await runCli(['graph', 'dag.yaml', '--format', 'json'], dir)).stdout) as { blocks: Record<string, unknown> };
    expect(Object.keys(json.blocks).filter((k) => k.startsWith('unit:'))).toEqual(['unit:fetch', 'unit:compile', 'unit:test']);
  });

  it('exits 2 for an unknown format', async () => {
    const result = await runCli(['graph', 'chain.yaml', '--format', 'png'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: option '--format <format>' argument 'png' is invalid\. Allowed choices are mermaid, dot, json\.\n/);
  });
});
