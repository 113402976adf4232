/** Functions beyond @actions/expressions' built-ins: the job-status functions of GitHub Actions. */

import { data } from '@actions/expressions';
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info';
import type { EvalContext } from './types.js';

type StatusName = 'success' | 'failure' | 'always' | 'cancelled';

/** Declared to the parser, which rejects calls to functions it does not know. */
export const statusFunctionInfos: readonly FunctionInfo[] = (
  ['success', 'failure', 'always', 'cancelled'] as const
).map((name) => ({ name, minArgs: 0, maxArgs: 0 }));

const statusNames = new Set(statusFunctionInfos.map((info) => info.name));

/** Whether a called function (any case, as GitHub's names are) depends on the run's status. */
export function isStatusFunction(name: string): boolean {
  return statusNames.has(name.toLowerCase());
}

/** Function names as users write them, for "expected one of" hints. */
export const functionNames: readonly string[] = [
  'contains',
  'startsWith',
  'endsWith',
  'format',
  'join',
  'toJSON',
  'fromJSON',
  'case',
  'success',
  'failure',
  'always',
  'cancelled',
];

/**
 * GitHub functions that arq does not have, with the reason. hashFiles() hashes files of a GitHub
 * workspace; a workflow here has no such thing, so a call is rejected before it can run.
 */
export const unsupportedFunctions: ReadonlyMap<string, string> = new Map([
  [
    'hashfiles',
    "Function 'hashFiles' is not supported by arq: compute the hash in a `run:` step and use its output",
  ],
]);

const statusMaps = new Map<string, Map<string, FunctionDefinition>>();

/** The evaluator's map (keys in lower case, as it looks them up) bound to one status; built once per status. */
export function statusFunctions(status: EvalContext['status']): Map<string, FunctionDefinition> {
  const key = `${status.failed}/${status.cancelled}`;
  let map = statusMaps.get(key);
  if (map === undefined) {
    map = buildStatusFunctions(status.failed, status.cancelled);
    statusMaps.set(key, map);
  }
  return map;
}

function buildStatusFunctions(failed: boolean, cancelled: boolean): Map<string, FunctionDefinition> {
  const results: Record<StatusName, boolean> = {
    success: !failed && !cancelled,
    failure: failed,
    always: true,
    cancelled,
  };
  return new Map(
    statusFunctionInfos.map((info) => [
      info.name,
      { ...info, call: () => new data.BooleanData(results[info.name as StatusName]) },
    ]),
  );
}
