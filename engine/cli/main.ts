#!/usr/bin/env node
/**
 * The `arq` command. Each command's module is imported only when it runs, so `arq validate`
 * never loads what `arq run` needs (and neither loads webdriverio or openai).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { exitAfterFlush, exitWithError } from './exit.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const positiveInteger = (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
};

// Written out rather than imported from runs.ts: `arq validate` must not load the store's modules.
const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'];
const STATE_DIR = ['--state-dir <dir>', 'where runs are recorded (default: $ARQ_HOME, else .arq in the current directory)'] as const;

function buildProgram(): Command {
  const program = new Command('arq')
    .description('A declarative workflow engine: YAML workflows checked, compiled to XState and run.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  program
    .command('run')
    .description('Check and run a workflow')
    .argument('<file>', 'the workflow file')
    .option('-i, --input <name=value>', 'an input (repeatable)', collect, [])
    .option('--inputs-file <file>', 'a YAML or JSON file of inputs')
    .option('--dry-run', 'check the workflow and print its plan without running it')
    .option('--json', 'print one JSON event per line')
    .option('--workdir <dir>', 'the run\'s working directory (default: the current directory)')
    .option(...STATE_DIR)
    .option('--secrets-file <file>', 'a dotenv file (KEY=VALUE lines) that secrets: { X: { env: KEY } } may read')
    .option('--rehearse', 'a rehearsal: run.rehearse is true and ARQ_REHEARSE=1, so a workflow that supports it simulates what it would change')
    .action(async (file: string, options) => exitAfterFlush(await (await import('./run.js')).runCommand(file, options)));
  program
    .command('runs')
    .description('List recorded runs, newest first')
    .option('--workflow <name>', 'only runs of this workflow')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .option('--limit <n>', 'at most this many runs', positiveInteger)
    .option('--json', 'print JSON')
    .option(...STATE_DIR)
    .action(async (options) => exitAfterFlush((await import('./runs.js')).runsCommand(options)));
  program
    .command('logs')
    .description('Print the logs of a run (every step, or one), optionally following a running one')
    .argument('<run>', 'a run id, or a prefix of one')
    .argument('[step]', 'a step id')
    .option('-f, --follow', 'keep printing new lines until the run ends')
    .option(...STATE_DIR)
    .action(async (run: string, step: string | undefined, options) => exitAfterFlush(await (await import('./logs.js')).logsCommand(run, step, options)));
  program
    .command('resume')
    .description('Go on with an interrupted run: steps that succeeded are not run again')
    .argument('<run>', 'a run id, or a prefix of one')
    .option('--force', 'resume even though the workflow file changed since the run started')
    .option('--json', 'print one JSON event per line')
    .option('--secrets-file <file>', 'a dotenv file of values that secrets: can name')
    .option(...STATE_DIR)
    .action(async (run: string, options) => exitAfterFlush(await (await import('./resume.js')).resumeCommand(run, options)));
  program
    .command('validate')
    .description('Check workflow files; print every problem with file:line:column')
    .argument('<files...>', 'workflow files')
    .action(async (files: string[]) => exitAfterFlush(await (await import('./validate.js')).validateCommand(files)));
  program
    .command('graph')
    .description('Print the compiled state machine of a workflow')
    .argument('<file>', 'the workflow file')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
    .action(async (file: string, options) => exitAfterFlush(await (await import('./graph.js')).graphCommand(file, options.format)));
  program
    .command('schedule')
    .description('Run the workflows with on.schedule under the folders at their times, until SIGTERM/SIGINT')
    .argument('[paths...]', 'folders of workflows (or workflow files); default: the current directory')
    .option('--list', 'print each schedule with its next firings, and exit')
    .option('--next <n>', 'print the next N firings of each schedule, and exit', positiveInteger)
    .option('--from <time>', 'print the firings from this time (ISO 8601) on, not from now, and exit')
    .option('--shutdown-grace <duration>', 'on SIGTERM/SIGINT, how long running runs may go on before they are cancelled', '30s')
    .option('--workdir <dir>', 'the runs\' working directory (default: the current directory)')
    .option(...STATE_DIR)
    .option('--secrets-file <file>', 'a dotenv file of values that secrets: can name (read at each run)')
    .action(async (paths: string[], options) => exitAfterFlush(await (await import('./schedule.js')).scheduleCommand(paths, options)));
  // What `arq schedule` runs each run and each check of a file as; not for people.
  program
    .command('schedule-run', { hidden: true })
    .action(async () => exitAfterFlush(await (await import('./schedule-run.js')).scheduleRunCommand()));
  program
    .command('schedule-check', { hidden: true })
    .argument('<files...>')
    .action(async (files: string[]) => exitAfterFlush(await (await import('./schedule-check.js')).scheduleCheckCommand(files)));
  program
    .command('steps')
    .description('List the step types, or show one with its input schema')
    .argument('[type]', 'a step type')
    .option('--json', 'print JSON')
    .action(async (type: string | undefined, options) => exitAfterFlush(await (await import('./steps.js')).stepsCommand(type, options)));
  return program;
}

// A closed pipe (`arq run wf.yaml | head`) is not a failure of the run: stop writing, keep running,
// so the run still ends cleanly (finally: runs, processes are killed) instead of dying mid-step.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

buildProgram().parseAsync(process.argv).catch(exitWithError);
