/**
 * Where arq's own command line is, so that a deploy phase given as a workflow file runs as
 * `arq run FILE` in a child process: a step may not reach into the engine, and a phase's
 * workflow is named by an input, while `uses: workflow` takes only a constant path.
 *
 * @example
 * const cli = arqCli(); // '/usr/lib/node_modules/arq/dist/cli/arq.js'
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StepError } from '../contract.js';

function isArqRoot(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'arq';
  } catch {
    return false;
  }
}

/** The bundled CLI of the arq this module belongs to (from its sources, dist/ or the bundle). */
export function arqCli(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8 && !isArqRoot(dir); i++) dir = dirname(dir);
  const cli = join(dir, 'dist', 'cli', 'arq.js');
  if (!existsSync(cli)) throw new StepError('deploy.no_cli', `arq's command line is not built (${cli} is missing): run npm run build`);
  return cli;
}
