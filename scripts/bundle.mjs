// Bundles the CLI into a few files (dist/cli/): a cold `arq validate` then reads 3 files instead of
// ~150 modules, which is most of its start-up time. execa and xstate are bundled too (loaded by
// `arq run` only, in their own chunk); heavy or native-ish dependencies stay external
// and are imported only by the commands and steps that need them.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones rather than let them pile up.
rmSync('dist/cli', { recursive: true, force: true });

// Checks read the step types from dist/step-catalog.json (written by build-validators.mjs from the
// registry in the same build): validating a workflow then loads no step module.
const catalogFromJson = {
  name: 'step-catalog',
  setup(build) {
    build.onLoad({ filter: /[\\/]steps[\\/]catalog\.ts$/ }, () => ({
      loader: 'js',
      contents: `import { readFileSync } from 'node:fs';
const list = JSON.parse(readFileSync(new URL('../step-catalog.json', import.meta.url), 'utf8'));
export const stepCatalog = new Map(list.map((step) => [step.type, step]));`,
    }));
  },
};
await build({
  entryPoints: { arq: 'engine/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ajv', 'ajv/*', 'webdriverio'],
  banner: { js: "import { createRequire as __arqRequire } from 'node:module'; const require = __arqRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [catalogFromJson],
});
chmodSync('dist/cli/arq.js', 0o755);
console.log('bundled the CLI into dist/cli/arq.js');
