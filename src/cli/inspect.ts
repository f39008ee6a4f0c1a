import { Command } from 'commander';
import { inspectFile } from '../inspect.js';
import { formatCount } from './output.js';

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('print the schema, row count and first rows of any supported file')
    .argument('<file>', 'a document file (jsonl, parquet, warc) or a signals Parquet file')
    .option('-n, --rows <n>', 'rows to show', '5')
    .option('--json', 'print one JSON object instead of text')
    .addHelpText('after', '\nExample:\n  $ sieve inspect out/web/web_docs.signals.parquet -n 3\n')
    .action(async (file: string, opts: { rows: string; json?: boolean }) => {
      const summary = await inspectFile(file, Number.parseInt(opts.rows, 10));
      const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v);
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary, replacer) + '\n');
        return;
      }
      const lines = [`file:    ${summary.file}`, `format:  ${summary.format}`, `rows:    ${formatCount(summary.rows)}`];
      if (summary.rejected > 0) lines.push(`rejected: ${formatCount(summary.rejected)} unreadable record(s)`);
      lines.push('columns:');
      for (const c of summary.columns) lines.push(`  ${c.name}: ${c.type}`);
      lines.push(`first ${summary.head.length} row(s):`);
      for (const row of summary.head) lines.push(`  ${JSON.stringify(row, replacer)}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
