/**
 * What every browser step shares: the inputs naming the session and bounding the wait, and the
 * two programs a session needs (Chromium and chromedriver), found from the step's input, an
 * environment variable, or Debian's paths, never downloaded.
 *
 * @example
 * const binaries = await findBinaries({ chromium: undefined, chromedriver: undefined }, ctx.env);
 * // { chromium: '/usr/bin/chromium', chromedriver: '/usr/bin/chromedriver' }, or a StepError naming the package
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { StepError, type JSONSchema } from '../contract.js';

/** The session a step works in when it names none. */
export const DEFAULT_SESSION = 'default';
/** How long a step waits for an element or a condition when it says nothing (ms). */
export const DEFAULT_WAIT_MS = 10_000;

/** Inputs every browser step takes. */
export interface SessionInput {
  readonly session?: string;
}

/** Inputs of the steps that wait for something. */
export interface WaitingInput extends SessionInput {
  readonly timeout?: number;
}

export const sessionSchema: JSONSchema = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_-]*$',
  'x-expected': 'a session name of letters, digits, _ and -, starting with a letter or _',
  description: `The browser session to use: steps naming the same session share one browser for the whole run ("${DEFAULT_SESSION}" when not given). The first step that uses it opens it.`,
};

export const selectorSchema: JSONSchema = {
  type: 'string',
  minLength: 1,
  description: 'Which element: a CSS selector (`#login button[type=submit]`), or a webdriverio text selector (`=Exact link text`, `*=Partial link text`, `h1=Exact text`, `p*=Partial text`), an XPath (`//form/button`) or `aria/Accessible name`.',
};

/** `timeout` as the waiting steps describe it. */
export function timeoutSchema(what: string, defaultMs = DEFAULT_WAIT_MS): JSONSchema {
  return { type: 'integer', minimum: 0, maximum: 2147483647, default: defaultMs, description: `Milliseconds to wait ${what} before the step fails.` };
}

/** The programs a session runs. */
export interface Binaries {
  readonly chromium: string;
  readonly chromedriver: string;
}

interface Program {
  readonly name: keyof Binaries;
  readonly defaultPath: string;
  readonly envVar: string;
  readonly debianPackage: string;
}

const PROGRAMS: readonly Program[] = [
  { name: 'chromium', defaultPath: '/usr/bin/chromium', envVar: 'ARQ_CHROMIUM', debianPackage: 'chromium' },
  { name: 'chromedriver', defaultPath: '/usr/bin/chromedriver', envVar: 'ARQ_CHROMEDRIVER', debianPackage: 'chromium-driver' },
];

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function missingProgram(program: Program, path: string, source: string | undefined): StepError {
  const fix = source === undefined
    ? `install it with \`apt-get install ${program.debianPackage}\` (Debian), or give its path in ${program.envVar} or with.${program.name}`
    : `give the path of an installed ${program.name} (Debian's \`apt-get install ${program.debianPackage}\` puts it at ${program.defaultPath})`;
  const where = source === undefined ? '' : ` (set by ${source})`;
  return new StepError(`browser.no_${program.name}`, `${program.name} not found at ${path}${where}: ${fix}. arq never downloads a browser.`, { path, package: program.debianPackage });
}

/**
 * The paths of Chromium and chromedriver: the step's input wins, then ARQ_CHROMIUM /
 * ARQ_CHROMEDRIVER, then /usr/bin. Each must be an executable file.
 */
export async function findBinaries(given: Partial<Binaries>, env: Readonly<Record<string, string>>): Promise<Binaries> {
  const found: Partial<Record<keyof Binaries, string>> = {};
  for (const program of PROGRAMS) {
    const fromInput = given[program.name];
    const fromEnv = env[program.envVar] || undefined;
    const path = fromInput ?? fromEnv ?? program.defaultPath;
    const source = fromInput !== undefined ? `with.${program.name}` : fromEnv !== undefined ? program.envVar : undefined;
    if (!(await isExecutableFile(path))) throw missingProgram(program, path, source);
    found[program.name] = path;
  }
  return found as Binaries;
}
