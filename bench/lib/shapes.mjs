/**
 * The shapes every peer runs, defined once: the DAG's edges, and arq's YAML text for each shape.
 */

/** A small deterministic PRNG (mulberry32), so every run and every peer sees the same DAG. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A DAG of n nodes: node i > 0 needs 1 or 2 distinct nodes among the 50 before it, so the graph
 * has width (tens of nodes ready at once) and depth (a few hundred levels).
 * @returns {number[][]} needs[i] = the indexes node i needs
 */
export function dagNeeds(n, window = 50, seed = 42) {
  const rnd = random(seed);
  const needs = [[]];
  for (let i = 1; i < n; i++) {
    const pick = () => i - 1 - Math.floor(rnd() * Math.min(window, i));
    const first = pick();
    const set = new Set([first]);
    if (i > 1 && rnd() < 0.5) set.add(pick());
    needs.push([...set].sort((a, b) => a - b));
  }
  return needs;
}

const noop = (id, indent = '  ') => `${indent}- id: ${id}\n${indent}  uses: noop\n`;

export const arqYaml = {
  /** `steps:` of n noop steps, in order. */
  chain: (n) => `name: chain\nsteps:\n${Array.from({ length: n }, (_, i) => noop(`s${i}`)).join('')}`,

  /** One foreach step over n items (a fromJSON expression, or a literal list), body `uses: noop`. */
  foreach: (n, literal = false) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const list = literal ? `[${items.join(', ')}]` : `\${{ fromJSON('[${items.join(',')}]') }}`;
    return `name: foreach\nsteps:\n  - id: each\n    foreach: ${list}\n    uses: noop\n`;
  },

  /** One `parallel:` block of n noop branches. */
  parallel: (n) => `name: parallel\nsteps:\n  - id: fan\n    parallel:\n${Array.from({ length: n }, (_, i) => noop(`b${i}`, '      ')).join('')}`,

  /** n noop nodes, each with the `needs:` of dagNeeds. */
  dag: (n) => {
    const needs = dagNeeds(n);
    const lines = needs.map((need, i) => `${noop(`n${i}`)}${need.length ? `    needs: [${need.map((j) => `n${j}`).join(', ')}]\n` : ''}`);
    return `name: dag\nsteps:\n${lines.join('')}`;
  },

  /** n shell steps running `true`. */
  shell: (n) => `name: shell\nsteps:\n${Array.from({ length: n }, (_, i) => `  - id: s${i}\n    run: "true"\n`).join('')}`,
};
