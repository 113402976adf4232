import { describe, expect, it } from 'vitest';
import { StepError } from '../../../steps/contract.js';
import { formatSize, limitCommand, limitFailure, parseSize } from '../../../steps/os/limits.js';
import { finishedOf, logLines, runText, tempDir } from '../../helpers/workflow.js';

const sh = { file: 'sh', args: ['-e', '-c', 'make'] };

describe('limitCommand: each platform\'s own tools', () => {
  it('wraps a command in prlimit and nice on Linux', () => {
    expect(limitCommand(sh, { memory: '512M', cpu_seconds: 30, open_files: 256, nice: 10 }, 'linux')).toEqual({
      file: 'prlimit', args: ['--as=536870912', '--cpu=30:31', '--nofile=256', '--', 'nice', '-n', '10', 'sh', '-e', '-c', 'make'],
    });
    expect(limitCommand(sh, { nice: 5 }, 'linux')).toEqual({ file: 'nice', args: ['-n', '5', 'sh', '-e', '-c', 'make'] });
    expect(limitCommand(sh, {}, 'linux')).toBe(sh);
    expect(limitCommand(sh, undefined, 'linux')).toBe(sh);
  });

  it('uses ulimit through /bin/sh on macOS, with the command as arguments, and refuses a memory limit', () => {
    expect(limitCommand(sh, { cpu_seconds: 30, open_files: 256, nice: 3 }, 'darwin')).toEqual({
      file: '/bin/sh', args: ['-c', 'ulimit -t 30; ulimit -n 256; exec "$@"', 'arq-limits', 'nice', '-n', '3', 'sh', '-e', '-c', 'make'],
    });
    expect(limitCommand(sh, { nice: 3 }, 'darwin')).toEqual({ file: 'nice', args: ['-n', '3', 'sh', '-e', '-c', 'make'] });
    const error = (() => {
      try {
        return limitCommand(sh, { memory: '1G' }, 'darwin');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StepError);
    expect([(error as StepError).code, (error as StepError).message]).toEqual([
      'limits.unsupported', 'limits.memory is not supported on macOS: macOS does not enforce address-space limits (ulimit -v); remove limits.memory or run on Linux',
    ]);
  });

  it('refuses every limit on Windows, naming them', () => {
    const cmd = { file: 'cmd.exe', args: ['/d', '/s', '/c', 'x'], windowsVerbatimArguments: true };
    expect(() => limitCommand(cmd, { memory: '1G', nice: 1 }, 'win32')).toThrow(
      'limits.memory, limits.nice are not supported on Windows: Windows has no command-line tool to limit a process (job objects); remove limits: from this step',
    );
    expect(limitCommand(cmd, {}, 'win32')).toBe(cmd);
  });

  it('reads sizes in bytes and binary units, and words them back', () => {
    expect([parseSize(4096), parseSize('100M'), parseSize('1.5G'), parseSize('200MiB'), parseSize('64k'), parseSize('10 MB')]).toEqual([4096, 104857600, 1610612736, 209715200, 65536, 10485760]);
    expect(() => parseSize('12X')).toThrow('limits.memory "12X" is not a size: expected bytes or a number with K, M, G or T, e.g. 512M');
    expect([formatSize(104857600), formatSize(1610612736), formatSize(2048), formatSize(12)]).toEqual(['100 MiB', '1.5 GiB', '2 KiB', '12 bytes']);
  });

  it('tells a failure caused by a limit from any other failure', () => {
    expect(limitFailure({ memory: '100M' }, { exitCode: 1, stderr: 'tail: memory exhausted' }, 'Command', 'tail')?.message).toBe(
      'Command ran out of memory (limits.memory is 100 MiB): tail\ntail: memory exhausted',
    );
    expect(limitFailure({ memory: '100M' }, { exitCode: 1, stderr: 'no such file' }, 'Command', 'tail')).toBeUndefined();
    expect(limitFailure({ cpu_seconds: 2 }, { signal: 'SIGXCPU', stderr: '' }, 'Command', 'spin')?.code).toBe('limits.cpu');
    expect(limitFailure(undefined, { signal: 'SIGXCPU', stderr: '' }, 'Command', 'spin')).toBeUndefined();
  });
});

describe('limits on shell steps (Linux, prlimit and nice)', () => {
  const dir = tempDir('arq-limits-');

  it('stops a step that allocates past limits.memory and reports it as such', async () => {
    const { result, events } = await runText(`name: mem
steps:
  - id: hog
    uses: shell
    with:
      # tail keeps the whole last line in memory: 300 MB of zeros with no newline.
      run: head -c 300000000 /dev/zero | tail > /dev/null
      limits: { memory: 100M }
`, dir);
    expect(result.status).toBe('failed');
    const hog = finishedOf(events, 'hog');
    expect(hog.status).toBe('failed');
    expect(hog.error).toBe('Command ran out of memory (limits.memory is 100 MiB): head -c 300000000 /dev/zero | tail > /dev/null\ntail: memory exhausted');
  });

  it('lets the same step through under a limit it stays within', async () => {
    const { result } = await runText(`name: mem-ok
steps:
  - id: small
    uses: shell
    with:
      run: head -c 1000000 /dev/zero | tail > /dev/null
      limits: { memory: 100M }
`, dir);
    expect(result.status).toBe('succeeded');
  });

  it('stops a step past limits.cpu_seconds with SIGXCPU', async () => {
    const { events } = await runText(`name: cpu
steps:
  - id: spin
    uses: shell
    with:
      run: while :; do :; done
      limits: { cpu_seconds: 1 }
`, dir);
    expect(finishedOf(events, 'spin').error).toBe('Command was stopped by limits.cpu_seconds after 1 s of CPU time (SIGXCPU): while :; do :; done');
  });

  it('applies open_files and nice, as the command itself sees them', async () => {
    const { result, events } = await runText(`name: fds
steps:
  - id: see
    uses: shell
    with:
      run: ulimit -n; nice
      limits: { open_files: 64, nice: 7 }
`, dir);
    expect(result.status).toBe('succeeded');
    expect(logLines(events, 'see')).toEqual(['64', '7']);
  });
});
