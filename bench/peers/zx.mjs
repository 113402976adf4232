/**
 * zx: n commands `true` one after another, each `await $\`true\`` with zx's defaults (bash with
 * its `set -euo pipefail;` prefix, stdio piped and collected, nothing printed).
 */
import { $ } from 'zx';

export function shell({ n }) {
  return async () => {
    let count = 0;
    for (let i = 0; i < n; i++) if ((await $`true`).exitCode === 0) count++;
    return { count };
  };
}
