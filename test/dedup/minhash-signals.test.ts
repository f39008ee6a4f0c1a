import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { duckdb, readJsonlGz, shared, sieve, tempDir } from '../helpers.js';

const CORPORA = ['web/web_docs', 'quality/dclm_human_quality', 'spam/spamassassin_spam_bodies'];
const COLUMNS = ['signature_sim1.0', 'signature_sim0.9', 'signature_sim0.8', 'signature_sim0.7'];

type Bands = Record<string, string[] | null>;

async function referenceBands(): Promise<Map<string, Bands>> {
  const out = new Map<string, Bands>();
  for (const c of CORPORA) {
    for (const r of await readJsonlGz(shared('reference', `${c.split('/')[1]}.signals.jsonl.gz`))) {
      const m = (r.minhash ?? null) as Bands | null;
      out.set(String(r.id), Object.fromEntries(COLUMNS.map((k) => [k, m?.[k] ?? null])));
    }
  }
  return out;
}

async function bandsFrom(files: string): Promise<Map<string, Bands>> {
  const select = COLUMNS.map((c) => `list_transform("${c}", x -> lower(hex(x))) AS "${c}"`).join(', ');
  const rows = await duckdb(`SELECT id, ${select} FROM read_parquet('${files}')`);
  return new Map(rows.map((r) => [String(r.id), Object.fromEntries(COLUMNS.map((k) => [k, (r[k] as string[] | null) ?? null]))]));
}

describe('minhash signals: bands equal the reference for every document of the three corpora', () => {
  const inputs = CORPORA.map((c) => shared('corpus', `${c}.jsonl.gz`));
  let expected: Map<string, Bands>;
  let rpv2Dir: string;
  before(async () => {
    expected = await referenceBands();
    assert.equal(expected.size, 3469);
  });

  it('as Parquet signal columns (sieve signals --signals minhash)', async () => {
    const out = tempDir();
    const r = sieve(['signals', ...inputs, '--signals', 'minhash', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const types = await duckdb(`DESCRIBE SELECT * FROM '${join(out, 'web_docs.signals.parquet')}'`);
    assert.deepEqual(types.map((t) => [t.column_name, t.column_type]), [['id', 'VARCHAR'], ...COLUMNS.map((c) => [c, 'BLOB[]'])]);
    assert.deepEqual(await bandsFrom(join(out, '*.signals.parquet')), expected);
  });

  it('as RPv2 *.minhash.parquet files (--format rpv2), with shard_id and id_int', async () => {
    rpv2Dir = tempDir();
    const r = sieve(['signals', ...inputs, '--signals', 'minhash', '--format', 'rpv2', '--out', rpv2Dir]);
    assert.equal(r.status, 0, r.stderr);
    const file = join(rpv2Dir, 'web_docs.minhash.parquet');
    const types = await duckdb(`DESCRIBE SELECT * FROM '${file}'`);
    assert.deepEqual(types.map((t) => [t.column_name, t.column_type]), [['shard_id', 'VARCHAR'], ['id', 'VARCHAR'], ['id_int', 'UBIGINT'], ...COLUMNS.map((c) => [c, 'BLOB[]'])]);
    assert.deepEqual(await bandsFrom(join(rpv2Dir, '*.minhash.parquet')), expected);
    // id_int as RPv2 defines it: the first 8 bytes of SHA-1 of the id, little-endian.
    const ints = await duckdb(`SELECT id, CAST(id_int AS VARCHAR) AS i, shard_id FROM '${file}'`);
    for (const x of ints) {
      assert.equal(x.i, createHash('sha1').update(String(x.id)).digest().readBigUInt64LE(0).toString());
      assert.equal(x.shard_id, 'web_docs');
    }
  });

  it('sieve dedup reads RPv2 minhash files and finds the same clusters as from the documents', async () => {
    const fromDocs = tempDir();
    const fromSignatures = tempDir();
    assert.equal(sieve(['dedup', ...inputs, '--out', fromDocs]).status, 0);
    const r = sieve(['dedup', join(rpv2Dir, 'web_docs.minhash.parquet'), join(rpv2Dir, 'dclm_human_quality.minhash.parquet'), join(rpv2Dir, 'spamassassin_spam_bodies.minhash.parquet'), '--out', fromSignatures, '--verify']);
    assert.equal(r.status, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(join(fromSignatures, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.inputs.map((i: { source: string }) => i.source), ['signatures', 'signatures', 'signatures']);
    const q = (dir: string) => duckdb(`SELECT id, CAST(cluster_id AS VARCHAR) AS c, shard_id FROM '${join(dir, 'clusters.parquet')}' ORDER BY id`);
    const a = await q(fromDocs);
    const b = await q(fromSignatures);
    // --verify may only remove links: every verified cluster member is a member without it.
    const plain = new Map(a.map((x) => [x.id, x.c]));
    for (const row of b) assert.ok(plain.has(row.id), `${String(row.id)} clustered only with --verify`);
    assert.ok(b.length > 0 && b.length <= a.length);
    assert.equal(manifest.link.collisions >= manifest.link.refused, true);
  });
});
