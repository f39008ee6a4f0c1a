import { Command } from 'commander';
import { PACKAGE_VERSION } from '../version.js';
import { inspectCommand } from './inspect.js';
import { listSignalsCommand } from './list-signals.js';
import { manifestCommand } from './manifest.js';
import { exitCodeFor, printError } from './output.js';
import { dedupCommand } from './dedup.js';
import { doctorCommand } from './doctor.js';
import { dsirCommand } from './dsir.js';
import { explainCommand } from './explain.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { signalsCommand } from './signals.js';
import { workerCommand } from './worker.js';

const program = new Command('sieve')
  .description('curate LLM pretraining corpora the RedPajama v2 way')
  .version(PACKAGE_VERSION)
  .option('--debug', 'print stack traces of errors')
  .showHelpAfterError()
  .addCommand(signalsCommand())
  .addCommand(runCommand())
  .addCommand(explainCommand())
  .addCommand(dedupCommand())
  .addCommand(reportCommand())
  .addCommand(dsirCommand())
  .addCommand(workerCommand())
  .addCommand(inspectCommand())
  .addCommand(manifestCommand())
  .addCommand(listSignalsCommand())
  .addCommand(doctorCommand());

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  printError(err, program.opts<{ debug?: boolean }>().debug === true || process.argv.includes('--debug'));
  process.exitCode = exitCodeFor(err);
}
