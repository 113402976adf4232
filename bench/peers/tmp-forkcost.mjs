import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
export async function probe({ mode, stdio: mode2 = 'ignore' }) {
  if (mode === 'arq') {
    const m = await import('./arq.mjs');
    const run = await m.shell({ n: 100 });
    for (let i = 0; i < 4; i++) await run();
  } else if (mode === 'execa') {
    const m = await import('./execa.mjs');
    const run = m.shell({ n: 100 });
    for (let i = 0; i < 4; i++) await run();
  }
  return async () => {
    const t = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      const c = spawn('sh', ['-c', 'true'], { stdio: mode2 });
      t.push(performance.now() - t0);
      await new Promise((r) => c.on('close', r));
    }
    t.sort((a, b) => a - b);
    const maps = readFileSync('/proc/self/maps', 'utf8').split('\n').length;
    const threads = readFileSync('/proc/self/status', 'utf8').match(/Threads:\s+(\d+)/)[1];
    console.error(mode, 'spawn() call median', t[50].toFixed(3), 'ms; rss', (process.memoryUsage().rss / 2 ** 20).toFixed(0), 'MiB; maps', maps, 'threads', threads);
    return { count: 100 };
  };
}
