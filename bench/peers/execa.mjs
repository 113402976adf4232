/**
 * execa alone, with the command and the options arq's shell step gives it (steps/os/shell.ts:
 * `sh -e -c SCRIPT`, its own process group, stdin ignored, output streamed rather than
 * buffered): what a shell step costs through the dependency before arq's own work is added.
 */
import { execa } from 'execa';

const OPTIONS = {
  extendEnv: false, stdin: 'ignore', detached: true, cleanup: false, reject: false, buffer: false,
  stripFinalNewline: false, forceKillAfterDelay: false,
};

/** n sequential runs of `sh -e -c true`, each awaited until it exited and its pipes were read. */
export function shell({ n }) {
  return async () => {
    let count = 0;
    for (let i = 0; i < n; i++) {
      const subprocess = execa('sh', ['-e', '-c', 'true'], { ...OPTIONS, env: process.env });
      subprocess.stdout.resume();
      subprocess.stderr.resume();
      if ((await subprocess).exitCode === 0) count++;
    }
    return { count };
  };
}
