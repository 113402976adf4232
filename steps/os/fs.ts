/**
 * The fs.* step family: file operations confined to the run's working directory and the
 * workflow's `permissions.paths`.
 *
 * @example
 * import { fsSteps } from './os/fs.js';
 * for (const step of fsSteps) registry.set(step.type, step);
 */
import type { StepType } from '../contract.js';
import { fsCopy } from './fs-copy.js';
import { fsDelete } from './fs-delete.js';
import { fsList } from './fs-list.js';
import { fsMkdir } from './fs-mkdir.js';
import { fsMove } from './fs-move.js';
import { fsRead } from './fs-read.js';
import { fsStat } from './fs-stat.js';
import { fsWrite } from './fs-write.js';

export { fsCopy, fsDelete, fsList, fsMkdir, fsMove, fsRead, fsStat, fsWrite };
export type { FsCopyInput } from './fs-copy.js';
export type { FsDeleteInput } from './fs-delete.js';
export type { FsListInput } from './fs-list.js';
export type { FsMkdirInput } from './fs-mkdir.js';
export type { FsMoveInput } from './fs-move.js';
export type { FsReadInput } from './fs-read.js';
export type { FsStatInput, FsStatOutput } from './fs-stat.js';
export type { FsWriteInput } from './fs-write.js';
export { confine, isInside } from './fs-paths.js';

/** Every fs.* step type, for the registry (inputs are type aliases, not interfaces, so they fit StepType without a cast through unknown). */
export const fsSteps: StepType[] = [fsRead, fsWrite, fsCopy, fsMove, fsDelete, fsMkdir, fsList, fsStat] as StepType[];
