/** Shows a run as it goes: live progress on a terminal, plain lines otherwise, or JSON events. */
import { formatDuration } from '../model/duration.js';
import type { RunEvent } from '../run/events.js';

type Write = (text: string) => void;

const color = (code: number, text: string, on: boolean) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
const marks = { succeeded: '✓', failed: '✗', skipped: '-', cancelled: '⊘' } as const;
const colors = { succeeded: 32, failed: 31, skipped: 90, cancelled: 33 } as const;

function stepName(event: { step: string; item?: number }): string {
  return event.item === undefined ? event.step : `${event.step}[${event.item}]`;
}

/** One line per event worth a line; `null` for events that print nothing. */
export function formatEvent(event: RunEvent, tty = false): string | null {
  switch (event.type) {
    case 'run.started':
      return `run ${event.run} ${event.resumed ? 'resumed' : 'started'}: ${event.workflow}`;
    case 'step.started':
      return event.attempt > 1 ? `▶ ${stepName(event)} (attempt ${event.attempt})` : `▶ ${stepName(event)}`;
    case 'step.log':
      return prefixLines(`  ${stepName(event)} | `, event.line);
    case 'step.retrying':
      return color(33, `↻ ${stepName(event)} attempt ${event.attempt} failed: ${firstLine(event.error)}; retrying in ${formatDuration(event.delay_ms)}`, tty);
    case 'step.finished': {
      const head = `${marks[event.status]} ${stepName(event)} ${event.status}`;
      const ran = event.replayed ? ' (done before the resume, not run again)' : ` (${formatDuration(event.duration_ms)}${event.attempts > 1 ? `, ${event.attempts} attempts` : ''})`;
      const time = event.status === 'skipped' ? '' : ran;
      // "skipped: Skipped: ..." says it twice: the status word already leads the line.
      const error = event.status === 'skipped' ? event.error?.replace(/^Skipped: /, '') : event.error;
      const tail = error && event.status !== 'succeeded' ? `: ${error}${event.continued ? ' (continue_on_error)' : ''}` : '';
      return color(colors[event.status], indentRest(head + time + tail), tty);
    }
    case 'run.warning':
      return color(33, `! ${event.message}`, tty);
    case 'run.finished': {
      const line = `run ${event.run} ${event.status} in ${formatDuration(event.duration_ms)}`;
      return color(event.status === 'succeeded' ? 32 : 31, indentRest(event.error && event.status !== 'succeeded' ? `${line}: ${event.error}` : line), tty);
    }
  }
}

/** Every line of a multi-line message gets the prefix: a reader (or grep) sees whose line it is. */
function prefixLines(prefix: string, text: string): string {
  return text.split(/\r?\n/).map((line) => prefix + line).join('\n');
}

/** Continuation lines of a message (a stderr tail in an error) are indented under their first line. */
function indentRest(text: string): string {
  return text.replace(/\r?\n/g, '\n    ');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** Plain lines (CI, pipes) or coloured lines plus a live status line of what is running (terminal). */
export function createReporter(mode: 'json' | 'plain' | 'tty', write: Write = (t) => process.stdout.write(t)): (event: RunEvent) => void {
  if (mode === 'json') return (event) => write(`${JSON.stringify(event)}\n`);
  if (mode === 'plain') return (event) => {
    const line = formatEvent(event);
    if (line !== null) write(`${line}\n`);
  };
  return liveReporter(write);
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Running {
  readonly since: number;
  readonly attempt: number;
}

/** The status line: every running step with the time it has been running, cut to the terminal's width. */
function statusLine(running: ReadonlyMap<string, Running>, frame: number, now: number): string {
  const parts = [...running].map(([name, r]) => `${name} ${formatDuration(now - r.since)}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}`);
  const text = `${SPINNER[frame % SPINNER.length]} ${parts.join(' · ')}`;
  const width = Math.max(20, (process.stdout.columns ?? 80) - 1);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Finished steps scroll above a status line that shows what is running, redrawn ten times a second. */
function liveReporter(write: Write): (event: RunEvent) => void {
  const running = new Map<string, Running>();
  let frame = 0;
  const render = () => write(`\r\x1b[K${running.size ? color(36, statusLine(running, frame++, Date.now()), true) : ''}`);
  const timer = setInterval(render, 100);
  timer.unref();
  return (event) => {
    if (event.type === 'step.started') running.set(stepName(event), { since: event.time, attempt: event.attempt });
    if (event.type === 'step.finished') running.delete(stepName(event));
    const line = formatEvent(event, true);
    if (line !== null && event.type !== 'step.started') write(`\r\x1b[K${line}\n`);
    if (event.type === 'run.finished') {
      running.clear();
      clearInterval(timer);
    }
    render();
  };
}
