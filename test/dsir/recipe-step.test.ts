import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { shared, sieve, tempDir } from '../helpers.js';

const WIKI = shared('corpus', 'reference', 'wikitext2_raw_test_articles.jsonl.gz');
const WEB = shared('corpus', 'web', 'web_docs.jsonl.gz');
const POOL = [WEB, WIKI];

function kept(out: string): string[] {
  return ['web_docs', 'wikitext2_raw_test_articles'].flatMap((n) =>
    gunzipSync(readFileSync(join(out, 'kept', `${n}.jsonl.gz`)))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0),
  );
}

describe('recipe resample step (DSIR)', () => {
  const dir = tempDir();
  const recipe = join(dir, 'toward-wiki.yaml');
  writeFileSync(recipe, `name: toward-wiki\nsteps:\n  - keep: { name: some-words, when: 'rps_doc_word_count >= 10' }\n  - resample: { method: dsir, target: ${JSON.stringify(WIKI)}, k: 30, seed: 7 }\n`);

  it('keeps the k documents sieve dsir resample keeps with a model fitted on the same raw pool, and counts the rest under the step', () => {
    const out = join(dir, 'run');
    const r = sieve(['run', recipe, ...POOL, '--out', out, '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { totals: { documents: number; kept: number; dropped: Record<string, number> } };
    assert.equal(m.totals.kept, 30);
    assert.equal(m.totals.documents, m.totals.kept + m.totals.dropped['some-words'] + m.totals.dropped.resample);

    // The same with the standalone commands: rules, fit on their output, resample.
    const first = join(dir, 'first');
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, "name: rules\nsteps:\n  - keep: { name: some-words, when: 'rps_doc_word_count >= 10' }\n");
    assert.equal(sieve(['run', rules, ...POOL, '--out', first]).status, 0);
    const model = join(dir, 'model.json');
    const fit = sieve(['dsir', 'fit', '--target', WIKI, '--raw', join(first, 'kept'), '--out', model]);
    assert.equal(fit.status, 0, fit.stderr);
    const alone = join(dir, 'alone');
    const rs = sieve(['dsir', 'resample', '--model', model, '--k', '30', '--seed', '7', join(first, 'kept'), '--out', alone]);
    assert.equal(rs.status, 0, rs.stderr);
    assert.deepEqual(kept(out).sort(), kept(alone).sort());

    // Selected far above the base rate: the pool is mostly web pages.
    const wiki = kept(out).filter((l) => (JSON.parse(l) as { id: string }).id.startsWith('wikitext2-test:')).length;
    assert.ok(wiki >= 25, `${wiki} of 30 selected are Wikipedia articles`);
    // The step's model is kept for inspection.
    assert.equal((JSON.parse(readFileSync(join(out, 'resample', 'model.json'), 'utf8')) as { format: string }).format, 'pajama-sieve/dsir-model');
  });

  it('gives the same bytes with 1 and 2 workers', () => {
    const outs = ['1', '2'].map((w) => {
      const out = join(dir, `w${w}`);
      assert.equal(sieve(['run', recipe, ...POOL, '--out', out, '--workers', w]).status, 0);
      return out;
    });
    assert.deepEqual(kept(outs[0]), kept(outs[1]));
  });

  it('reports bad options at the step, with the others', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nsteps:\n  - resample: { method: dsir, k: 3, fraction: 0.5 }\n');
    const r = sieve(['run', bad, WEB, '--out', join(dir, 'bad')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.yaml:3:\d+ `target` must be a file or directory/);
    assert.match(r.stderr, /give exactly one of `k` \(documents\) and `fraction`/);
  });
});
