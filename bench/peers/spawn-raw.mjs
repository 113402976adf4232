/**
 * Raw `child_process.spawn`: the floor of a shell step. n processes one after another, each
 * awaited until it closed (exit and its pipes), with Node's default options (stdio pipes,
 * inherited env).
 */
import { spawn } from 'node:child_process';

function once(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited ${code}`))));
  });
}

/** n sequential spawns of `file args`, e.g. `sh -c true` or `true`. */
export function shell({ n, file, args = [] }) {
  return async () => {
    for (let i = 0; i < n; i++) await once(file, args);
    return { count: n };
  };
}
