// %% [markdown]
// # C4 in 20 lines
// C4's cleaning (Raffel et al. 2020, TFDS `c4_utils`): keep lines that end in terminal punctuation,
// have at least 5 words and do not mention JavaScript; then keep pages with at least 3 sentences,
// no bad word, no "lorem ipsum" and no curly bracket. As a recipe over RPv2 signals, in 20 lines.
// Run with `node --import tsx examples/c4-in-20-lines.ts [OUT_DIR [INPUT...]]`.

// %%
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRecipe } from '../src/index.js';

const [out = mkdtempSync(join(tmpdir(), 'sieve-c4-')), ...inputs] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'c4.yaml'), `name: c4
steps:
  - keep_lines: { name: c4_lines, when: "rps_lines_ending_with_terminal_punctution_mark == 1 and rps_lines_num_words >= 5 and rps_lines_javascript_counts == 0" }
  - keep: { name: min_sentences, when: rps_doc_num_sentences >= 3 }
  - keep: { name: no_bad_words, when: rps_doc_ldnoobw_words == 0 }
  - keep: { name: no_lorem_ipsum, when: rps_doc_lorem_ipsum == 0 }
  - keep: { name: no_curly_bracket, when: rps_doc_curly_bracket == 0 }
`);
const fixture = join(import.meta.dirname, '..', 'fixtures', 'quickstart.jsonl');
const { manifest } = await runRecipe({ recipe: join(out, 'c4.yaml'), inputs: inputs.length > 0 ? inputs : [fixture], out });
const t = manifest.totals;
console.log(`C4 kept ${t.kept} of ${t.documents} documents, ${t.keptCharacters} of ${t.characters} characters → ${join(out, 'kept')}`);
for (const [rule, n] of Object.entries(t.dropped)) console.log(`  ${rule.padEnd(16)} dropped ${n}`);
