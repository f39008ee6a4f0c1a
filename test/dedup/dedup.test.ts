import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it, before } from 'node:test';
import { join } from 'node:path';
import { duckdb, readJsonlGz, shared, sieve, tempDir } from '../helpers.js';

const CORPORA = ['web/web_docs', 'quality/dclm_human_quality', 'spam/spamassassin_spam_bodies'];
const COLUMNS = { '1.0': 'signature_sim1.0', '0.9': 'signature_sim0.9', '0.8': 'signature_sim0.8', '0.7': 'signature_sim0.7' } as const;
type Threshold = keyof typeof COLUMNS;

interface RefDoc {
  id: string;
  bands: Record<string, string[] | null>;
}

/** The clusters of spec §6.1 by brute force: every pair compared band by band, components by repeated relabelling. */
function bruteForceClusters(docs: readonly RefDoc[], column: string): Map<string, string> {
  const n = docs.length;
  const label = Array.from({ length: n }, (_, i) => i);
  const edges: [number, number][] = [];
  for (let a = 0; a < n; a++) {
    const ba = docs[a].bands[column];
    if (!ba) continue;
    for (let b = a + 1; b < n; b++) {
      const bb = docs[b].bands[column];
      if (bb && ba.some((v, j) => v === bb[j])) edges.push([a, b]);
    }
  }
  // Propagate the smallest label along edges until nothing changes: components without union-find.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [a, b] of edges) {
      const m = Math.min(label[a], label[b]);
      if (label[a] !== m || label[b] !== m) {
        label[a] = label[b] = m;
        changed = true;
      }
    }
  }
  const size = new Map<number, number>();
  for (const l of label) size.set(l, (size.get(l) ?? 0) + 1);
  const idInt = (id: string) => createHash('sha1').update(id).digest().readBigUInt64LE(0);
  const minId = new Map<number, bigint>();
  for (let i = 0; i < n; i++) {
    if (size.get(label[i])! < 2) continue;
    const v = idInt(docs[i].id);
    const cur = minId.get(label[i]);
    if (cur === undefined || v < cur) minId.set(label[i], v);
  }
  const out = new Map<string, string>();
  for (let i = 0; i < n; i++) if (size.get(label[i])! > 1) out.set(docs[i].id, String(minId.get(label[i])));
  return out;
}

describe('sieve dedup (MinHash LSH)', () => {
  let refs: RefDoc[];
  const inputs = CORPORA.map((c) => shared('corpus', `${c}.jsonl.gz`));
  before(async () => {
    refs = [];
    for (const c of CORPORA) {
      for (const r of await readJsonlGz(shared('reference', `${c.split('/')[1]}.signals.jsonl.gz`))) {
        refs.push({ id: String(r.id), bands: (r.minhash ?? {}) as RefDoc['bands'] });
      }
    }
  });

  for (const threshold of Object.keys(COLUMNS) as Threshold[]) {
    it(`clusters at ${threshold} equal a brute-force computation on the reference bands`, async () => {
      const out = tempDir();
      const r = sieve(['dedup', ...inputs, '--out', out, '--threshold', threshold, '--workers', '2']);
      assert.equal(r.status, 0, r.stderr);
      const expected = bruteForceClusters(refs, COLUMNS[threshold]);
      const rows = await duckdb(`SELECT id, CAST(cluster_id AS VARCHAR) AS cluster_id, cluster_size FROM '${join(out, 'clusters.parquet')}'`);
      const actual = new Map(rows.map((row) => [String(row.id), String(row.cluster_id)]));
      assert.equal(actual.size, expected.size);
      assert.deepEqual([...actual].sort(), [...expected].sort());
      const sizes = new Map<string, number>();
      for (const c of actual.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
      for (const row of rows) assert.equal(Number(row.cluster_size), sizes.get(String(row.cluster_id)));

      // Every cluster keeps exactly the member whose id_int is the cluster id (RPv2's rule).
      const dups = await duckdb(`SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(CASE WHEN id_int = cluster_id THEN 1 ELSE 0 END) AS keepers FROM read_parquet('${join(out, 'duplicates')}/*.parquet')`);
      assert.equal(Number(dups[0].n), expected.size - sizes.size);
      assert.equal(Number(dups[0].keepers), 0);
    });
  }

  it('gives the same clusters when every hash range must be split on disk to fit --memory', async () => {
    const roomy = tempDir();
    const tight = tempDir();
    assert.equal(sieve(['dedup', ...inputs, '--out', roomy, '--threshold', '0.7', '--workers', '1']).status, 0);
    const r = sieve(['dedup', ...inputs, '--out', tight, '--threshold', '0.7', '--workers', '2', '--memory', '90000']);
    assert.equal(r.status, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(join(tight, 'manifest.json'), 'utf8')) as { link: { splits: number } };
    assert.ok(manifest.link.splits > 0, 'expected the tight run to split ranges');
    const q = (dir: string) => duckdb(`SELECT id, CAST(cluster_id AS VARCHAR) AS c FROM '${join(dir, 'clusters.parquet')}' ORDER BY id`);
    assert.deepEqual(await q(tight), await q(roomy));
  });

  it('refuses a --memory too small for the documents, with the size it needs', () => {
    const r = sieve(['dedup', inputs[0], '--out', tempDir(), '--memory', '1000']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--memory 1000 bytes is too small for 1094 documents/);
  });
});

describe('sieve dedup --method exact', () => {
  it('finds exactly the byte-identical documents of the web corpus and keeps the first of each', async () => {
    const input = shared('corpus', 'web', 'web_docs.jsonl.gz');
    const docs = await readJsonlGz(input);
    const firstByText = new Map<string, string>();
    const expected: string[] = [];
    for (const d of docs) {
      const text = String(d.text);
      if (firstByText.has(text)) expected.push(String(d.id));
      else firstByText.set(text, String(d.id));
    }
    assert.ok(expected.length > 0, 'the web corpus has byte-identical documents');
    const out = tempDir();
    const r = sieve(['dedup', input, '--out', out, '--method', 'exact']);
    assert.equal(r.status, 0, r.stderr);
    const rows = await duckdb(`SELECT id, "index" FROM '${join(out, 'duplicates', 'web_docs.duplicates.parquet')}' ORDER BY "index"`);
    assert.deepEqual(rows.map((row) => String(row.id)), expected);
    for (const row of rows) assert.equal(String(docs[Number(row.index)].id), String(row.id));
  });
});

describe('sieve dedup as array-job stages', () => {
  it('signatures and partitions over 3 tasks, then clusters, give the single run; stages out of order name what is missing', async () => {
    const inputs = CORPORA.map((c) => shared('corpus', `${c}.jsonl.gz`));
    const single = tempDir();
    assert.equal(sieve(['dedup', ...inputs, '--out', single, '--threshold', '0.7']).status, 0);
    const staged = tempDir();
    const stage = (name: string, task?: number) => sieve(['dedup', ...inputs, '--out', staged, '--threshold', '0.7', '--stage', name, ...(task === undefined ? [] : ['--task-index', String(task), '--task-count', '3'])]);

    assert.equal(stage('signatures', 0).status, 0);
    const early = stage('partitions', 0);
    assert.equal(early.status, 2);
    assert.match(early.stderr, /dclm_human_quality\.jsonl\.gz has not been done yet: run `sieve dedup --stage signatures` for every task first/);
    for (const t of [1, 2]) assert.equal(stage('signatures', t).status, 0);
    for (const t of [0, 1]) assert.equal(stage('partitions', t).status, 0);
    const missing = stage('clusters');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /hash range 2 has not been linked/);
    assert.equal(stage('partitions', 2).status, 0);
    const r = stage('clusters');
    assert.equal(r.status, 0, r.stderr);

    const q = (dir: string) => duckdb(`SELECT id, CAST(cluster_id AS VARCHAR) AS c, cluster_size FROM '${join(dir, 'clusters.parquet')}' ORDER BY id`);
    assert.deepEqual(await q(staged), await q(single));
    const m = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { inputs: unknown; totals: unknown; link: unknown };
    assert.deepEqual(m(staged).inputs, m(single).inputs);
    assert.deepEqual(m(staged).totals, m(single).totals);
    assert.deepEqual(m(staged).link, m(single).link);
  });
});
