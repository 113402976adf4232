// Bundles the CLI into a few files (dist/cli/): a cold `arq validate` then reads 3 files instead of
// ~150 modules, which is most of its start-up time. Heavy or native-ish dependencies stay external
// and are imported only by the commands and steps that need them.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones rather than let them pile up.
rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: { arq: 'engine/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ajv', 'ajv/*', 'xstate', 'execa', 'webdriverio'],
  banner: { js: "import { createRequire as __arqRequire } from 'node:module'; const require = __arqRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/cli/arq.js', 0o755);
console.log('bundled the CLI into dist/cli/arq.js');
