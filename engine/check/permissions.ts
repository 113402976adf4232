/**
 * Permissions a workflow grants beyond files (`permissions: { browser_eval: true }`): a step whose
 * type needs one (StepType.permission) is a problem at its `uses:` unless its workflow grants it.
 */
import type { Permission, StepType } from '../../steps/contract.js';
import { stepCatalog as builtinSteps } from '../../steps/catalog.js';
import type { StepNode } from '../model/types.js';
import { asRecord, valueAt, type Checker } from './checker.js';

/** What each permission lets a step do, as the problem of a missing one says it. */
const WHAT_IT_ALLOWS: Readonly<Record<Permission, string>> = {
  browser_eval: "runs the workflow's JavaScript in the browser's page",
};
const PERMISSIONS = Object.keys(WHAT_IT_ALLOWS) as Permission[];

/**
 * The permissions a workflow's `permissions:` mapping grants: those set to `true`.
 *
 * @example
 * grantedPermissions({ paths: ['/srv'], browser_eval: true }) // ['browser_eval']
 */
export function grantedPermissions(raw: unknown): Permission[] {
  const permissions = asRecord(raw) ?? {};
  return PERMISSIONS.filter((name) => permissions[name] === true);
}

/** Whether this step, with the inputs it was given, needs `type.permission`. */
function needsPermission(type: StepType, withKeys: readonly string[]): boolean {
  const when = type.permission?.when;
  return type.permission !== undefined && (when === undefined || when.some((key) => withKeys.includes(key)));
}

/** Reports every action step that needs a permission its workflow does not grant. */
export function checkPermissions(checker: Checker, nodes: readonly StepNode[], granted: readonly Permission[]): void {
  // Indexed: a for-of allocates an iterator result per step until the loop is optimised.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind !== 'action' || node.uses === undefined) continue;
    const type = node.custom ?? builtinSteps.get(node.uses);
    if (type?.permission === undefined) continue;
    const withKeys = Object.keys(asRecord(valueAt(checker.doc.data, [...node.path, 'with'])) ?? {});
    if (!needsPermission(type, withKeys) || granted.includes(type.permission.name)) continue;
    const { name, when } = type.permission;
    const what = when === undefined ? `"${node.uses}"` : `"${node.uses}" with ${when.map((key) => `\`${key}\``).join(' or ')}`;
    checker.report('permission.missing', `Step "${node.id}" uses ${what}, which ${WHAT_IT_ALLOWS[name]}: allow it with \`permissions: { ${name}: true }\` at the top of the workflow`, [...node.path, 'uses']);
  }
}
