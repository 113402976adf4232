/**
 * An idle scheduler keeps no step family loaded: the bundled `arq schedule`, started on a folder of
 * workflows that use shell, HTTP and system steps, loads none of xstate, execa, ajv, webdriverio,
 * openai or systeminformation (checking and running happen in child processes).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'arq.js');
const tracer = join(root, 'test', 'helpers', 'trace-imports.mjs');

describe('the idle scheduler', () => {
  it('loads no dependency from node_modules at all', async () => {
    expect(existsSync(cli)).toBe(true);
    const dir = tempDir('arq-schedule-imports-');
    const steps = '  - run: echo hi\n  - uses: http.check\n    with: { url: "http://127.0.0.1:9/health" }\n  - uses: system.info\n';
    writeFiles(dir, { 'flows/nightly.yaml': `name: nightly\non:\n  schedule:\n    - { cron: "0 3 * * *", timezone: Europe/Berlin }\nsteps:\n${steps}` });
    const child = spawn(process.execPath, ['--import', tracer, cli, 'schedule', 'flows', '--state-dir', 'state'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    const loaded = new Promise<string>((resolve) => {
      let text = '';
      (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
    });
    await new Promise<void>((resolve) => child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('arq schedule: watching')) resolve();
    }));
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('nightly: loaded flows/nightly.yaml (1 schedule)');
    const files = (JSON.parse(await loaded) as string[]).flatMap((f) => /node_modules\/(.*)$/.exec(f)?.[1] ?? []);
    expect([...new Set(files)]).toEqual([]);
  }, 30_000);
});
