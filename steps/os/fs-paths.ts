/**
 * Confinement of fs.* paths: a path is resolved against the run's working directory and must
 * stay inside one of the folders the workflow may touch, both as written and once every
 * symbolic link on the way is followed.
 *
 * @example
 * const target = await confine('../../etc/passwd', ctx);
 * // throws StepError fs.outside: Path "../../etc/passwd" resolves to /etc/passwd, outside ...
 */
import { readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { StepContext } from '../contract.js';
import { StepError } from '../contract.js';

/** How many symbolic links in a row are followed before giving up (Linux's own limit). */
const MAX_LINK_HOPS = 40;

export interface ConfineOptions {
  /** The folder a relative path is resolved against; the run's working directory by default. */
  readonly base?: string;
  /**
   * false to judge a symbolic link as itself rather than what it points to: stat, delete and
   * move act on the link, never on its target.
   */
  readonly followLast?: boolean;
}

/**
 * Resolves `userPath` and returns it as an absolute path, or throws `fs.outside` when it, or
 * what it reaches through symbolic links, lies outside `ctx.allowedPaths`.
 */
export async function confine(userPath: string, ctx: StepContext, options: ConfineOptions = {}): Promise<string> {
  const absolute = resolve(options.base ?? ctx.workdir, userPath);
  if (!ctx.allowedPaths.some((folder) => isInside(absolute, resolve(folder)))) {
    throw outsideError(userPath, absolute, ctx.allowedPaths);
  }
  const real = await realTarget(absolute, options.followLast ?? true);
  const allowed = await Promise.all(ctx.allowedPaths.map((folder) => resolveReal(resolve(folder))));
  if (!allowed.some((folder) => isInside(real, folder))) throw outsideError(userPath, real, ctx.allowedPaths);
  return absolute;
}

/** Like {@link confine}, but answers instead of throwing: for entries met while walking a tree. */
export async function isAllowed(absolute: string, ctx: StepContext): Promise<boolean> {
  return confine(absolute, ctx).then(() => true, () => false);
}

/** True when `path` is `folder` or lies below it. Both must be absolute. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function outsideError(userPath: string, resolved: string, allowedPaths: readonly string[]): StepError {
  return new StepError(
    'fs.outside',
    `Path "${userPath}" resolves to ${resolved}, outside the folders this workflow may touch ` +
      `(${allowedPaths.join(', ')}); add it to permissions.paths to allow it`,
    { path: userPath, resolved, allowedPaths: [...allowedPaths] },
  );
}

async function realTarget(absolute: string, followLast: boolean): Promise<string> {
  if (followLast) return resolveReal(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(await resolveReal(parent), basename(absolute));
}

/**
 * The path with every symbolic link followed, including dangling ones (a write through a
 * dangling link creates its target), and missing trailing parts kept as written.
 */
export async function resolveReal(path: string, hops = 0): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    // Missing, dangling or looping: resolve the parent, then look at the last part alone.
  }
  const parent = dirname(path);
  if (parent === path) return path;
  const candidate = join(await resolveReal(parent, hops), basename(path));
  const target = await readlink(candidate).catch(() => undefined);
  // A loop never reaches a file: the operation itself then fails with ELOOP.
  if (target === undefined || hops >= MAX_LINK_HOPS) return candidate;
  return resolveReal(resolve(dirname(candidate), target), hops + 1);
}
