import { Command } from 'commander';
import { listSignals } from '../../signals/index.js';

export function listSignalsCommand(): Command {
  return new Command('list-signals')
    .description('list the registered signals with their family, level and type')
    .option('--json', 'print JSON lines instead of a table')
    .action((opts: { json?: boolean }) => {
      const rows = listSignals().map(({ family, signal }) => ({
        name: signal.name,
        family: `${family.id}@${family.version}`,
        level: signal.level,
        type: signal.type,
        description: signal.description,
      }));
      if (opts.json) {
        for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
        return;
      }
      const width = Math.max(...rows.map((r) => r.name.length));
      const famWidth = Math.max(...rows.map((r) => r.family.length));
      for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.family.padEnd(famWidth)}  ${r.level.padEnd(4)}  ${r.type.padEnd(5)}  ${r.description}\n`);
    });
}
