import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signalDelivery } from '../../../steps/os/process-control.js';
import { serviceCommand } from '../../../steps/os/process-start.js';
import { readStat } from '../../../steps/os/process-tree.js';
import { tcpTarget } from '../../../steps/os/readiness.js';
import { freePort } from '../../helpers/net.js';
import { killLeftovers, liveProcesses, uniqueSleep } from '../../helpers/processes.js';
import { finishedOf, logLines, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const markers: string[] = [];
afterAll(() => markers.forEach(killLeftovers));
function marker(): string {
  const m = uniqueSleep();
  markers.push(m);
  return m;
}

const dir = tempDir('arq-process-');
// A small HTTP service that also starts a grandchild (a sleep), so stopping it must reach its whole tree.
writeFiles(dir, {
  'server.mjs': `import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
spawn('sleep', [process.env.MARKER], { stdio: 'ignore' });
const server = createServer((req, res) => res.end('hello from ' + process.env.GREETING));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
`,
});

describe('process.start, process.status, process.stop: a real service', () => {
  it('starts a service detached, finds it ready by TCP, HTTP and log line, and stops its whole tree', async () => {
    const port = await freePort();
    const sleep = marker();
    const { result, events } = await runText(`name: service
steps:
  - id: api
    uses: process.start
    with:
      command: [node, server.mjs]
      env: { PORT: "${port}", GREETING: "\${{ inputs.greeting }}", MARKER: "${sleep}" }
      ready: { tcp: ${port}, http: "http://127.0.0.1:${port}/", log: "listening on ${port}", timeout_ms: 20000 }
  - id: call
    uses: http.request
    with: { url: "http://127.0.0.1:${port}/" }
  - id: status
    uses: process.status
    with: { name: api }
  - id: list
    uses: process.list
  - id: stop
    uses: process.stop
    with: { name: api }
  - id: after
    uses: process.status
    with: { name: api }
inputs:
  greeting: { type: string, default: arq }
outputs:
  body: \${{ steps.call.outputs.body }}
  pid: \${{ steps.api.outputs.pid }}
  running: \${{ steps.status.outputs.running }}
  status_pid: \${{ steps.status.outputs.pid }}
  listed: \${{ steps.list.outputs.services[0].name }}
  listed_running: \${{ steps.list.outputs.running }}
  stop: \${{ steps.stop.outputs }}
  after: \${{ steps.after.outputs.running }}
`, dir);
    expect(result.status).toBe('succeeded');
    const pid = result.outputs.pid as number;
    expect(result.outputs).toEqual({
      body: 'hello from arq', pid, running: true, status_pid: pid, listed: 'api', listed_running: 1,
      stop: { was_running: true, pid, outcome: 'terminated' }, after: false,
    });
    expect(logLines(events, 'api')).toEqual([`started api (pid ${pid}), log: ${join(dir, '.arq/services/api.log')}`, 'api is ready']);
    expect(liveProcesses(sleep)).toEqual([]);
    // The pid file and the record are gone with the service; its log stays.
    expect(existsSync(join(dir, '.arq/services/api.pid'))).toBe(false);
    expect(existsSync(join(dir, '.arq/services/api.json'))).toBe(false);
    expect(readFileSync(join(dir, '.arq/services/api.log'), 'utf8')).toBe(`listening on ${port}\n`);
  });

  it('keeps the service running after the run, with a pid file other tools can read, until a later run stops it', async () => {
    const sleep = marker();
    const first = await runText(`name: keep
steps:
  - id: bg
    uses: process.start
    with: { run: "sleep ${sleep}", pid_file: run/bg.pid }
`, dir);
    expect(first.result.status).toBe('succeeded');
    const [pid] = liveProcesses(sleep);
    expect(readFileSync(join(dir, 'run/bg.pid'), 'utf8')).toBe(`${pid}\n`);
    // Its own process group: the service leads it.
    expect(readStat(String(pid))?.pgrp).toBe(pid);
    const second = await runText(`name: stop-it
steps:
  - id: stop
    uses: process.stop
    with: { pid_file: run/bg.pid }
  - id: again
    uses: process.stop
    with: { name: bg }
outputs:
  first: \${{ steps.stop.outputs.was_running }}
  second: \${{ steps.again.outputs }}
`, dir);
    expect(second.result.outputs).toEqual({ first: true, second: { was_running: false, pid, outcome: 'gone' } });
    expect(liveProcesses(sleep)).toEqual([]);
  });

  it('stops a service that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const sleep = marker();
    const { result } = await runText(`name: stubborn
steps:
  - id: svc
    uses: process.start
    with:
      run: |
        trap '' TERM
        echo trapped
        while :; do sleep ${sleep}; done
      ready: { log: trapped }
  - id: stop
    uses: process.stop
    with: { name: svc, grace_ms: 300 }
outputs:
  outcome: \${{ steps.stop.outputs.outcome }}
`, dir);
    expect(result.outputs).toEqual({ outcome: 'killed' });
    expect(liveProcesses(sleep)).toEqual([]);
  });

  it('fails a service that is not ready in time, stops it, and shows what it said', async () => {
    const port = await freePort();
    const sleep = marker();
    const { result, events } = await runText(`name: never-ready
steps:
  - id: slow
    uses: process.start
    with:
      run: echo warming up; exec sleep ${sleep}
      ready: { tcp: ${port}, timeout_ms: 600 }
`, dir);
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'slow').error).toBe(
      `The service was not ready after 600 ms: 127.0.0.1:${port} refused the TCP connection (ECONNREFUSED)\nLast lines of ${join(dir, '.arq/services/slow.log')}:\nwarming up`,
    );
    expect(liveProcesses(sleep)).toEqual([]);
    expect(existsSync(join(dir, '.arq/services/slow.json'))).toBe(false);
  });

  it('fails at once when the service exits before it is ready', async () => {
    const { events } = await runText(`name: crash
steps:
  - id: crash
    uses: process.start
    with:
      run: echo "config missing" >&2; exit 3
      ready: { log: ready, timeout_ms: 20000 }
`, dir);
    expect(finishedOf(events, 'crash').error).toBe(`The service ended (exit code 3) before it was ready\nLast lines of ${join(dir, '.arq/services/crash.log')}:\nconfig missing`);
  });

  it('refuses to start a service twice unless told to keep or restart it', async () => {
    const sleep = marker();
    const { result, events } = await runText(`name: twice
steps:
  - id: one
    uses: process.start
    with: { name: dup, run: "sleep ${sleep}" }
  - id: keep
    uses: process.start
    with: { name: dup, run: "sleep ${sleep}", if_running: keep }
  - id: restart
    uses: process.start
    with: { name: dup, run: "sleep ${sleep}", if_running: restart }
  - id: fail
    uses: process.start
    continue_on_error: true
    with: { name: dup, run: "sleep ${sleep}" }
  - id: stop
    uses: process.stop
    with: { name: dup }
outputs:
  first: \${{ steps.one.outputs.pid }}
  kept: \${{ steps.keep.outputs }}
  restarted: \${{ steps.restart.outputs.pid }}
`, dir);
    expect(result.status).toBe('succeeded');
    const { first, kept, restarted } = result.outputs as { first: number; kept: { pid: number; already_running: boolean }; restarted: number };
    expect([kept.pid, kept.already_running]).toEqual([first, true]);
    expect(restarted).not.toBe(first);
    expect(finishedOf(events, 'fail').error).toMatch(new RegExp(`^The service dup is already running \\(pid ${restarted}, started \\S+\\); stop it first with process.stop, or set if_running: restart or keep$`));
    expect(liveProcesses(sleep)).toEqual([]);
  });

  it('stops a service with stop_with_run when the run ends, even when it fails', async () => {
    const sleep = marker();
    const { result } = await runText(`name: scoped
steps:
  - id: bg
    uses: process.start
    with: { run: "sleep ${sleep}", stop_with_run: true }
  - id: check
    run: kill -0 "$(cat .arq/services/bg.pid)"
  - id: boom
    run: exit 1
`, dir);
    expect(result.status).toBe('failed');
    expect(liveProcesses(sleep)).toEqual([]);
  });

  it('sends a signal to the service, which handles it', async () => {
    const sleep = marker();
    const { result, events } = await runText(`name: signal
steps:
  - id: svc
    uses: process.start
    with:
      run: |
        trap 'echo got USR1 >> usr1.txt' USR1
        echo up
        while :; do sleep 0.05; done
      ready: { log: up }
  - id: usr1
    uses: process.signal
    with: { name: svc, signal: SIGUSR1, tree: false }
  - id: wait
    run: for i in $(seq 1 200); do [ -s usr1.txt ] && exit 0; sleep 0.05; done; exit 1
  - id: stop
    uses: process.stop
    with: { name: svc }
  - id: gone
    uses: process.signal
    continue_on_error: true
    with: { name: svc, signal: SIGHUP }
outputs:
  got: \${{ steps.usr1.outputs.signal }}
  gone: \${{ steps.gone.outputs }}
`, dir);
    expect(result.outputs).toEqual({ got: 'SIGUSR1', gone: {} });
    expect(finishedOf(events, 'gone').error).toBe('Cannot send SIGHUP: service svc is not running');
    expect(readFileSync(join(dir, 'usr1.txt'), 'utf8')).toBe('got USR1\n');
    expect(liveProcesses(sleep)).toEqual([]);
  });

  it('never signals a pid that was recycled by another process', async () => {
    const sleep = marker();
    const other = spawn('sleep', [sleep], { stdio: 'ignore' });
    const pid = other.pid!;
    const starttime = readStat(String(pid))!.starttime;
    writeFiles(dir, {
      '.arq/services/old.json': JSON.stringify({ name: 'old', pid, pgid: pid, starttime: starttime - 1, command: ['x'], pid_file: join(dir, '.arq/services/old.pid'), log_file: join(dir, '.arq/services/old.log'), record_file: join(dir, '.arq/services/old.json'), started_at: '2026-01-01T00:00:00.000Z' }),
      '.arq/services/old.pid': `${pid}\n`,
    });
    const { result, events } = await runText(`name: recycled
steps:
  - id: status
    uses: process.status
    with: { name: old }
  - id: stop
    uses: process.stop
    with: { name: old }
outputs:
  running: \${{ steps.status.outputs.running }}
  stop: \${{ steps.stop.outputs.was_running }}
`, dir);
    expect(result.outputs).toEqual({ running: false, stop: false });
    expect(logLines(events, 'stop')).toEqual([`pid ${pid} now belongs to another process: service old is not running, nothing was signalled`]);
    expect(liveProcesses(sleep)).toEqual([pid]);
    other.kill('SIGKILL');
  });

  it('keeps pid and log files inside the folders the workflow may touch', async () => {
    const { events } = await runText(`name: escape
steps:
  - id: out
    uses: process.start
    with: { run: "true", pid_file: ../../etc/arq.pid }
`, dir);
    expect(finishedOf(events, 'out').error).toMatch(/^Path "\.\.\/\.\.\/etc\/arq\.pid" resolves to \/etc\/arq\.pid, outside the folders this workflow may touch/);
  });
});

describe('process steps on every platform (pure choices)', () => {
  it('runs command: without a shell and run: with the platform\'s shell', () => {
    expect(serviceCommand({ command: ['node', 'app.js'] }, 'linux', '/w/s')).toEqual({ file: 'node', args: ['app.js'] });
    expect(serviceCommand({ run: 'serve' }, 'darwin', '/w/s')).toEqual({ file: 'sh', args: ['-e', '-c', 'serve'] });
    expect(serviceCommand({ run: 'serve' }, 'win32', 'C:\\w\\s')).toEqual({
      file: 'cmd.exe', args: ['/d', '/s', '/c', '"call "C:\\w\\s.cmd""'], scriptFile: 'C:\\w\\s.cmd', windowsVerbatimArguments: true,
    });
    expect(serviceCommand({ run: 'Start-Server', shell: 'pwsh' }, 'win32', 'C:\\w\\s')).toEqual({
      file: 'pwsh', args: ['-NoProfile', '-NonInteractive', '-File', 'C:\\w\\s.ps1'], scriptFile: 'C:\\w\\s.ps1',
    });
    expect(serviceCommand({ command: ['node', 'app.js'], limits: { nice: 5 } }, 'linux', '/w/s')).toEqual({ file: 'nice', args: ['-n', '5', 'node', 'app.js'] });
    expect(() => serviceCommand({ command: ['app.exe'], limits: { nice: 5 } }, 'win32', 'C:\\w\\s')).toThrow('limits.nice is not supported on Windows');
    expect(() => serviceCommand({}, 'linux', '/w/s')).toThrow('process.start needs run: (a script) or command: (a program and its arguments)');
  });

  it('delivers signals on Unix, and only stops (taskkill) on Windows', () => {
    expect(signalDelivery('SIGHUP', 'linux')).toBe('signal');
    expect(signalDelivery('SIGHUP', 'darwin')).toBe('signal');
    expect(signalDelivery('SIGTERM', 'win32')).toBe('taskkill');
    expect(() => signalDelivery('SIGHUP', 'win32')).toThrow('SIGHUP cannot be sent on Windows: it has no signals; use process.stop (taskkill /T /F) instead');
  });

  it('reads a readiness TCP target as a port or host:port', () => {
    expect([tcpTarget(8080), tcpTarget('localhost:9000'), tcpTarget('[::1]:7000')]).toEqual([
      { host: '127.0.0.1', port: 8080 }, { host: 'localhost', port: 9000 }, { host: '::1', port: 7000 },
    ]);
  });
});
