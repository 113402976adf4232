#!/usr/bin/env node
/**
 * The `arq` command. Each command's module is imported only when it runs, so `arq validate`
 * never loads what `arq run` needs (and neither loads webdriverio or openai).
 */
import { Command, Option } from 'commander';
import { exitAfterFlush, exitWithError } from './exit.js';

const collect = (value: string, previous: string[]) => [...previous, value];

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
    .action(async (file: string, options) => exitAfterFlush(await (await import('./run.js')).runCommand(file, options)));
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
