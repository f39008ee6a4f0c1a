import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { duckdb, readJsonlGz, shared, sieve, tempDir } from '../helpers.js';

const INPUTS = [shared('corpus', 'web', 'web_docs.jsonl.gz'), shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz')];

function recipe(dir: string, name: string, steps: string[]): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `name: ${name}\nsteps:\n${steps.map((s) => `  - ${s}\n`).join('')}`);
  return path;
}

function keptIds(out: string, names = ['web_docs', 'spamassassin_spam_bodies']): string[] {
  return names.flatMap((n) =>
    gunzipSync(readFileSync(join(out, 'kept', `${n}.jsonl.gz`)))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => String((JSON.parse(l) as { id: unknown }).id)),
  );
}

interface Manifest {
  inputs: { documents: number; kept: number; rejected: number; dropped: Record<string, number> }[];
  totals: { documents: number; kept: number; rejected: number; dropped: Record<string, number> };
}

const manifestOf = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;

describe('recipe dedup step', () => {
  const RULE1 = "keep: { name: enough-words, when: 'rps_doc_word_count >= 20' }";
  const RULE2 = "keep: { name: short-words, when: 'rps_doc_mean_word_length <= 8' }";

  it('equals running the rules before it, sieve dedup on their output, then the rules after it', async () => {
    const dir = tempDir();
    const staged = join(dir, 'staged');
    const r = sieve(['run', recipe(dir, 'staged', [RULE1, 'dedup: { method: minhash, threshold: 0.8 }', RULE2]), ...INPUTS, '--out', staged, '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);

    // The same by hand, with three commands.
    const first = join(dir, 'first');
    assert.equal(sieve(['run', recipe(dir, 'first', [RULE1]), ...INPUTS, '--out', first]).status, 0);
    const dd = join(dir, 'dd');
    assert.equal(sieve(['dedup', join(first, 'kept'), '--out', dd]).status, 0);
    const dups = new Set((await duckdb(`SELECT id FROM read_parquet('${join(dd, 'duplicates')}/*.parquet')`)).map((x) => String(x.id)));
    assert.ok(dups.size > 0, 'the corpora have near-duplicates');
    const last = join(dir, 'last');
    assert.equal(sieve(['run', recipe(dir, 'last', [RULE2]), join(first, 'kept'), '--out', last]).status, 0);
    const expected = keptIds(last).filter((id) => !dups.has(id));
    assert.deepEqual(keptIds(staged), expected);

    const m = manifestOf(staged);
    assert.equal(m.totals.dropped.dedup, dups.size);
    assert.equal(m.totals.kept, expected.length);
    for (const i of [...m.inputs, m.totals]) {
      assert.equal(i.documents, i.kept + Object.values(i.dropped).reduce((a, b) => a + b, 0), 'every document is kept or dropped by one step');
    }
    // The step's clusters are where sieve report and users look for them.
    const clusters = await duckdb(`SELECT count(*) AS n FROM '${join(staged, 'dedup', 'clusters.parquet')}'`);
    assert.ok(Number(clusters[0].n) > dups.size);
  });

  it('gives the same bytes with 1 and 2 workers', () => {
    const dir = tempDir();
    const path = recipe(dir, 'twice', [RULE1, 'dedup: { method: exact, key: text }', 'dedup: { name: near, threshold: 0.7 }', RULE2]);
    const outs = ['1', '2'].map((w) => {
      const out = join(dir, `w${w}`);
      const r = sieve(['run', path, ...INPUTS, '--out', out, '--workers', w]);
      assert.equal(r.status, 0, r.stderr);
      return out;
    });
    for (const n of ['web_docs', 'spamassassin_spam_bodies']) {
      assert.deepEqual(readFileSync(join(outs[0], 'kept', `${n}.jsonl.gz`)), readFileSync(join(outs[1], 'kept', `${n}.jsonl.gz`)));
    }
    assert.deepEqual(manifestOf(outs[0]).totals, manifestOf(outs[1]).totals);
    assert.ok(manifestOf(outs[0]).totals.dropped.dedup > 0 && manifestOf(outs[0]).totals.dropped.near > 0);
  });

  it('exact dedup as a step drops every byte-identical repeat of the web corpus', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const r = sieve(['run', recipe(dir, 'exact', ['dedup: { method: exact }']), INPUTS[0], '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const docs = await readJsonlGz(INPUTS[0]);
    const repeats = docs.length - new Set(docs.map((d) => String(d.text))).size;
    assert.equal(manifestOf(out).totals.dropped.dedup, repeats);
    assert.equal(keptIds(out, ['web_docs']).length, docs.length - repeats);
  });

  it('goes on when the rules before the step drop every document of a shard', () => {
    const dir = tempDir();
    const out = join(dir, 'none');
    const r = sieve(['run', recipe(dir, 'none', ['keep: rps_doc_word_count > 1000000', 'dedup: { threshold: 0.8 }']), INPUTS[0], '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(manifestOf(out).totals.kept, 0);
    assert.equal(keptIds(out, ['web_docs']).length, 0);
  });

  it('reports bad step options at their line, all at once', () => {
    const dir = tempDir();
    const r = sieve(['run', recipe(dir, 'bad', ['dedup: { method: fuzzy, threshold: 0.75, colour: red }']), INPUTS[0], '--out', join(dir, 'o')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.yaml:3:\d+ unknown option "colour"/);
    assert.match(r.stderr, /dedup method must be minhash or exact, not "fuzzy"/);
  });
});
