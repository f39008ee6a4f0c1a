import { Command } from 'commander';
import { PACKAGE_VERSION } from '../version.js';
import { exitCodeFor, printError } from './output.js';

/**
 * Each command's module, loaded only when it runs: a command's module pulls in its whole stack
 * (Arrow, the signal tables, fastText, BullMQ…), and loading all of them cost more than a small run.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  signals: async () => (await import('./signals.js')).signalsCommand(),
  run: async () => (await import('./run.js')).runCommand(),
  explain: async () => (await import('./explain.js')).explainCommand(),
  dedup: async () => (await import('./dedup.js')).dedupCommand(),
  report: async () => (await import('./report.js')).reportCommand(),
  dsir: async () => (await import('./dsir.js')).dsirCommand(),
  worker: async () => (await import('./worker.js')).workerCommand(),
  inspect: async () => (await import('./inspect.js')).inspectCommand(),
  manifest: async () => (await import('./manifest.js')).manifestCommand(),
  'list-signals': async () => (await import('./list-signals.js')).listSignalsCommand(),
  doctor: async () => (await import('./doctor.js')).doctorCommand(),
};

const program = new Command('sieve')
  .description('curate LLM pretraining corpora the RedPajama v2 way')
  .version(PACKAGE_VERSION)
  .option('--debug', 'print stack traces of errors')
  .showHelpAfterError();

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

/** Parses the arguments and runs the one command they name; errors end here, printed, with the exit code set. */
async function main(): Promise<void> {
  try {
    // The one command named (global options take no value, so it is the first word that is no
    // option); none for `--version` alone; all of them otherwise, for the help and for the
    // unknown-command error.
    const args = process.argv.slice(2);
    const named = args.find((a) => !a.startsWith('-'));
    const versionOnly = named === undefined && (args.includes('--version') || args.includes('-V')) && !args.includes('--help') && !args.includes('-h');
    const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : versionOnly ? [] : Object.keys(COMMANDS);
    for (const command of await Promise.all(wanted.map((name) => COMMANDS[name]()))) program.addCommand(command);
    await program.parseAsync(process.argv);
  } catch (err) {
    printError(err, program.opts<{ debug?: boolean }>().debug === true || process.argv.includes('--debug'));
    process.exitCode = exitCodeFor(err);
  }
}

// Not awaited at the top level: the CLI bundle is CommonJS (see scripts/bundle-cli.mjs).
void main();
