import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workflow.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'arq.js');
const tracer = join(root, 'test', 'helpers', 'trace-imports.mjs');
const stateDir = tempDir('arq-lazy-');

/** The files of the bundled CLI (dist/cli/) whose code includes `code`. */
function chunksHolding(code: string): string[] {
  const dir = join(root, 'dist', 'cli');
  return readdirSync(dir).filter((f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes(code));
}

/**
 * The files under node_modules that a command of the bundled CLI loads (bundled code loads none),
 * and the files of the bundle it loads.
 */
function dependencyFiles(args: string[]): { status: number | null; files: string[]; chunks: string[] } {
  // The run's record goes to a temporary state directory, not into the repository.
  const env = { ...process.env, ARQ_HOME: stateDir };
  const result = spawnSync(process.execPath, ['--import', tracer, cli, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], encoding: 'utf8' });
  const loaded = JSON.parse(String(result.output[3])) as string[];
  const files = loaded.flatMap((f) => /node_modules\/(.*)$/.exec(f)?.[1] ?? []);
  const chunks = loaded.flatMap((f) => /dist\/cli\/([^/]+\.js)$/.exec(f)?.[1] ?? []);
  return { status: result.status, files: [...new Set(files)].sort(), chunks: [...new Set(chunks)].sort() };
}

const packageOf = (file: string) => (file.startsWith('@') ? file.split('/').slice(0, 2).join('/') : file.split('/')[0]!);

describe('heavy dependencies are imported only by what needs them', () => {
  beforeAll(() => {
    expect(existsSync(cli)).toBe(true);
  });

  it('arq validate loads one runtime helper of the precompiled validators: no ajv compiler, no xstate, no execa', () => {
    const { status, files } = dependencyFiles(['validate', 'examples/hello.yaml']);
    expect(status).toBe(0);
    expect(files).toEqual(['ajv/dist/runtime/ucs2length.js']);
  });

  it('arq run of a shell workflow loads xstate and execa from the bundle, where arq validate does not, and no ajv compiler', () => {
    const run = dependencyFiles(['run', 'examples/hello.yaml']);
    expect(run.status).toBe(0);
    // Bundled into the CLI's chunks (one module to compile, not ~60 files to resolve and read).
    expect(run.files).toEqual(['ajv/dist/runtime/ucs2length.js']);
    const validate = dependencyFiles(['validate', 'examples/hello.yaml']);
    for (const code of ['ExecaError = class', 'function createMachine(']) {
      const chunks = chunksHolding(code);
      expect(chunks.length).toBe(1);
      expect(run.chunks).toContain(chunks[0]);
      expect(validate.chunks).not.toContain(chunks[0]);
    }
  });

  it('arq validate of LLM and agent workflows loads no openai and no ajv compiler either', () => {
    const { status, files } = dependencyFiles(['validate', 'examples/llm-summary.yaml', 'examples/agents-research.yaml']);
    expect(status).toBe(0);
    expect(files).toEqual(['ajv/dist/runtime/ucs2length.js']);
  });

  it('arq validate of a browser workflow loads no webdriverio: it is imported when a browser step runs', () => {
    const { status, files } = dependencyFiles(['validate', 'examples/browser-login.yaml']);
    expect(status).toBe(0);
    expect(files).toEqual(['ajv/dist/runtime/ucs2length.js']);
  });

  it('arq steps loads no dependency at all', () => {
    const { status, files } = dependencyFiles(['steps']);
    expect(status).toBe(0);
    expect(files).toEqual([]);
  });

  it('arq validate reads the step types from dist/step-catalog.json: no step module, so no http, tls or https either', () => {
    const hook = 'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>writeSync(3,JSON.stringify(process.moduleLoadList)))';
    const result = spawnSync(process.execPath, ['--import', hook, cli, 'validate', 'examples/hello.yaml', 'workflows/deploy.yaml'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], encoding: 'utf8' });
    expect(result.status).toBe(0);
    const builtins = (JSON.parse(String(result.output[3])) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
    expect(builtins.filter((m) => ['http', 'https', 'tls', '_http_client'].includes(m))).toEqual([]);
  });

  it('dist/step-catalog.json holds what the registry says of every built-in step type', async () => {
    const { builtinSteps } = await import('../../steps/registry.js');
    const catalog = JSON.parse(readFileSync(join(root, 'dist', 'step-catalog.json'), 'utf8')) as { type: string }[];
    const fromRegistry = [...builtinSteps.values()].map(({ type, description, input, output, scriptInputs, constantInputs, permission }) => JSON.parse(JSON.stringify({ type, description, input, output, scriptInputs, constantInputs, permission })));
    expect(catalog).toEqual(fromRegistry);
  });
});
