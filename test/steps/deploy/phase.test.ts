import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishedOf, logLines, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-deploy-phase-');

/** A port that was free a moment ago: nothing answers there. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
writeFiles(dir, {
  'seed.yaml': 'name: seed\ninputs:\n  who: { type: string, required: true }\nsteps:\n  - run: echo "seeded for ${{ inputs.who }}" > seeded.txt\n',
  'broken.yaml': 'name: broken\nsteps:\n  - id: boom\n    uses: fail\n    with: { message: the database is locked }\n',
  'invalid.yaml': 'name: invalid\nsteps:\n  - uses: no.such.step\n',
});

const phase = (index: number, name: string, body: string, timeoutMs = 60000) => `  - id: p${index}
    uses: deploy.phase
    continue_on_error: true
    with:
      phase: { index: ${index}, name: ${name}, ${body}, timeout_ms: ${timeoutMs} }
`;

describe('deploy.phase', () => {
  it('runs a command, a workflow file through arq run (its record kept in the evidence), and says why one failed', async () => {
    const { result, events } = await runText(`name: phases
steps:
${phase(1, 'build', 'command: "echo building; echo built > built.txt"')}${phase(2, 'seed', 'workflow: seed.yaml, inputs: { who: ann }')}${phase(3, 'broken', 'workflow: broken.yaml')}${phase(4, 'invalid', 'workflow: invalid.yaml')}${phase(5, 'slow', 'command: "sleep 30"', 300)}`, dir, { artifactsDir: join(dir, 'artifacts') });
    expect(result.status).toBe('succeeded');
    expect(readFileSync(join(dir, 'built.txt'), 'utf8')).toBe('built\n');
    expect(logLines(events, 'p1')).toEqual(['building']);
    expect(readFileSync(join(dir, 'seeded.txt'), 'utf8')).toBe('seeded for ann\n');
    const state = join(dir, 'artifacts', 'deploy', 'phases', '02-seed', 'state', 'runs');
    const [runId] = readdirSync(state);
    expect(JSON.parse(readFileSync(join(state, runId!, 'run.json'), 'utf8'))).toMatchObject({ workflow: 'seed', status: 'succeeded' });
    expect(finishedOf(events, 'p3').error).toBe('phase broken: arq run broken.yaml failed: Step "boom" failed: the database is locked');
    expect(finishedOf(events, 'p4').error).toBe('phase invalid: arq run invalid.yaml failed with exit code 2:\ninvalid.yaml:3:11: Unknown step type "no.such.step". Run `arq steps` to list the step types [step.unknown_type]');
    expect(finishedOf(events, 'p5').error).toBe('phase slow: did not finish within 300 ms');
    const timeline = readFileSync(join(dir, 'artifacts', 'deploy', 'timeline.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(timeline.map((e) => `${e.kind} ${e.name ?? e.source} ${e.outcome ?? ''}`.trim())).toEqual([
      'phase build succeeded', 'phase seed succeeded', 'phase broken failed', 'trigger phase', 'phase invalid failed', 'phase slow failed',
    ]);
  });

  it('checks the phase\'s health after it ran, and fails with the check\'s words', async () => {
    const port = await closedPort();
    const { events } = await runText(`name: health
steps:
${phase(1, 'warm-up', `command: "true", health: { url: "http://127.0.0.1:${port}/health", deadline_ms: 300, interval_ms: 100 }`)}`, dir, { artifactsDir: join(dir, 'artifacts-2') });
    expect(finishedOf(events, 'p1').error).toMatch(new RegExp(`^phase warm-up: health check failed: http://127\\.0\\.0\\.1:${port}/health not healthy after \\d+ attempts? in 300ms: connection refused$`));
    expect(logLines(events, 'p1')[0]).toBe(`phase warm-up: checking http://127.0.0.1:${port}/health`);
  });
});
