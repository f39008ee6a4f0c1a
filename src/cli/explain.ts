import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { explainRecipe, SWEEP_FACTORS, type ExplainReport } from '../recipe/explain.js';
import { addInputOptions, inputOptions, progressReporter, type InputCliOptions } from './common.js';
import { formatCount } from './output.js';

export function explainCommand(): Command {
  const command = new Command('explain')
    .description('what-if table of a recipe: what each rule drops, alone and only it, what is kept without it, and at other thresholds')
    .argument('<recipe>', 'recipe YAML')
    .argument('<inputs...>', 'input files or directories; - for stdin')
    .option('--json', 'print the report as JSON');
  // explain writes nothing, so it takes no --out.
  return addInputOptions(command, { out: false })
    .addHelpText('after', '\nExample:\n  $ sieve explain recipes/gopher.yaml shards/\n')
    .action(async (recipe: string, inputs: string[], opts: InputCliOptions & { json?: boolean }) => {
      const report = await explainRecipe({ ...inputOptions({ ...opts, out: join(tmpdir(), 'sieve-explain') }), recipe, inputs, onProgress: progressReporter() });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
    });
}

function pct(n: number, of: number): string {
  return of > 0 ? `${((100 * n) / of).toFixed(1)} %` : '-';
}

/** The report as aligned text tables. */
export function formatReport(r: ExplainReport): string {
  const rulesOnly = r.notExplained.length > 0 ? ' by its rules' : '';
  const lines = [`recipe ${r.recipe}: ${formatCount(r.documents)} documents, ${formatCount(r.kept)} kept${rulesOnly} (${pct(r.kept, r.documents)}), ${formatCount(r.rejected)} rejected`, ''];
  const width = Math.max(4, ...r.rules.map((x) => x.name.length));
  lines.push(`${'rule'.padEnd(width)}  ${'drops'.padStart(8)}  ${'only it'.padStart(8)}  ${'kept without it'.padStart(20)}`);
  for (const x of r.rules) {
    lines.push(`${x.name.padEnd(width)}  ${formatCount(x.drops).padStart(8)}  ${formatCount(x.dropsOnly).padStart(8)}  ${`${formatCount(x.keptWithout)} (${pct(x.keptWithout, r.documents)})`.padStart(20)}`);
  }
  if (r.notExplained.length > 0) lines.push('', `not explained (corpus-wide, run the recipe to see what they drop): ${r.notExplained.join(', ')}`);
  const sweeps = r.rules.filter((x) => x.thresholds.length > 0);
  if (sweeps.length > 0) {
    lines.push('', `kept by the whole recipe with one constant scaled by ${SWEEP_FACTORS.map((f) => `×${f}`).join(', ')}:`);
    for (const x of sweeps) {
      for (const t of x.thresholds) {
        lines.push(`  ${x.name} ${t.constant}: ${t.at.map((a) => `${a.value} → ${pct(a.kept, r.documents)}`).join(', ')}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
