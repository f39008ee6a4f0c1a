// %% [markdown]
// # A signal of your own, in a recipe
// Register a signal, name it in a recipe next to RPv2's, run the recipe and look at the report.
// Run with `node --import tsx examples/custom-signal.ts [OUT_DIR]`.

// %%
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, registerSignal, runRecipe, type TextView } from '../src/index.js';

const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'sieve-custom-'));
mkdirSync(out, { recursive: true });

// %% [markdown]
// A signal is a function of the document's `TextView` (its text and views shared by every
// signal). This one: the share of characters that are ASCII digits; null for an empty text,
// the way RPv2 signals give None where a value has no meaning.

// %%
/** my_doc_frac_digit_chars: ASCII digits over all characters (code points); null for an empty text. */
function fracDigitChars(view: TextView): number | null {
  if (view.length === 0) return null;
  let digits = 0;
  for (let i = 0; i < view.raw.length; i++) {
    const c = view.raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits / view.length;
}

registerSignal({ name: 'my_doc_frac_digit_chars', level: 'doc', type: 'f64', description: 'ASCII digits over all characters.', compute: fracDigitChars });

// %% [markdown]
// `registerSignal` makes it a family of one (`registerSignalFamily` registers several at once,
// under one version). The recipe names it like any other signal. The run and the report use one
// worker, in this process: worker threads load the built-in registry only, without this signal.

// %%
const recipe = join(out, 'few-digits.yaml');
writeFileSync(recipe, `name: few-digits
steps:
  - keep: { name: has_text, when: my_doc_frac_digit_chars is not null }
  - keep: { name: few_digits, when: my_doc_frac_digit_chars <= 0.02 }
  - keep: { name: no_lorem_ipsum, when: rps_doc_lorem_ipsum == 0 }
`);
const run = await runRecipe({ recipe, inputs: [join(import.meta.dirname, '..', 'fixtures', 'quickstart.jsonl')], out: join(out, 'run'), workers: 1 });
const t = run.manifest.totals;
console.log(`few-digits kept ${t.kept} of ${t.documents}; dropped ${JSON.stringify(t.dropped)}`);

// %% [markdown]
// The report draws the new signal's histogram with its threshold, like the built-in ones.

// %%
const report = await buildReport({ run: join(out, 'run'), workers: 1 });
console.log(`report → ${report.path}`);
