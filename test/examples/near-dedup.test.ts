import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { duckdb, readJsonlGz, shared, tempDir } from '../helpers.js';
import { runExample } from './run-example.js';

/** Exact Jaccard similarity of two texts' lower-cased word 5-gram sets: how `neardup_pairs` was measured. */
function jaccard5(a: string, b: string): number {
  const grams = (text: string) => {
    const words = text.toLowerCase().match(/\w+/g) ?? [];
    return new Set(words.slice(4).map((_, i) => words.slice(i, i + 5).join(' ')));
  };
  const [x, y] = [grams(a), grams(b)];
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return both / (x.size + y.size - both);
}

describe('examples/near-dedup.ts (issue 10)', () => {
  it('clusters the measured near-duplicates of the spam corpus, prints what clusters.parquet holds, and its recipe step drops what dedup() listed', async () => {
    const out = tempDir();
    const stdout = runExample('near-dedup.ts', [out]);
    const spam = await readJsonlGz(shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'));
    const texts = new Map(spam.map((d) => [String(d.id), String(d.text)]));

    // The printed summary is what DuckDB reads from the dedup's files.
    const clusters = join(out, 'dedup', 'clusters.parquet');
    const rows = await duckdb(`SELECT id, CAST(cluster_id AS VARCHAR) AS cluster FROM '${clusters}'`);
    const members = new Map<string, string[]>();
    for (const r of rows) members.set(String(r.cluster), [...(members.get(String(r.cluster)) ?? []), String(r.id)]);
    const duplicates = (await duckdb(`SELECT id FROM read_parquet('${join(out, 'dedup', 'duplicates')}/*.parquet')`)).map((r) => String(r.id));
    assert.equal(duplicates.length, rows.length - members.size, 'all members but one per cluster are duplicates');
    assert.match(stdout, new RegExp(`^dedup: ${spam.length} documents, ${members.size} clusters of ${rows.length} members, ${duplicates.length} duplicates to drop$`, 'm'));
    const sizes = new Map<number, number>();
    for (const m of members.values()) sizes.set(m.length, (sizes.get(m.length) ?? 0) + 1);
    assert.match(stdout, new RegExp(`^cluster sizes: ${[...sizes].sort(([a], [b]) => a - b).map(([size, n]) => `${n}×${size}`).join(', ')}$`, 'm'));
    const [largestId, largest] = [...members].sort(([a, ma], [b, mb]) => mb.length - ma.length || (BigInt(a) < BigInt(b) ? -1 : 1))[0];
    assert.match(stdout, new RegExp(`^largest cluster ${largestId}: ${largest.length} members$`, 'm'));
    const printed = [...stdout.matchAll(/^ {2}(\S+) +estimated Jaccard with the first (\d\.\d\d)$/gm)].map((m) => ({ id: m[1], estimate: Number(m[2]) }));
    assert.deepEqual(printed.map((p) => p.id).sort(), [...largest].sort());

    // Against the corpus's near-duplicate pairs, measured independently (exact word 5-gram Jaccard).
    const pairs = (await readJsonlGz(shared('corpus', 'neardup', 'neardup_pairs.jsonl.gz'))).filter((p) => texts.has(String(p.a)) && texts.has(String(p.b)));
    const cluster = new Map(rows.map((r) => [String(r.id), String(r.cluster)]));
    const together = (p: Record<string, unknown>) => cluster.has(String(p.a)) && cluster.get(String(p.a)) === cluster.get(String(p.b));
    const words = (id: unknown) => (texts.get(String(id))!.match(/\w+/g) ?? []).length;
    const identical = pairs.filter((p) => p.exact_text_match === true && Math.min(words(p.a), words(p.b)) >= 13);
    assert.ok(identical.length > 300);
    assert.deepEqual(identical.filter((p) => !together(p)), [], 'identical texts of 13 words or more share a cluster');
    const share = (list: Record<string, unknown>[]) => list.filter(together).length / list.length;
    const close = pairs.filter((p) => Number(p.jaccard_5gram_words) >= 0.9);
    const far = pairs.filter((p) => Number(p.jaccard_5gram_words) < 0.6);
    assert.ok(share(close) >= 0.9, `pairs with Jaccard ≥ 0.9: ${share(close)} clustered`);
    assert.ok(share(far) <= 0.05, `pairs with Jaccard < 0.6: ${share(far)} clustered`);

    // The pair shown side by side: the first member and the one printed as least like it, near-duplicates by the measure above too.
    const [first, right] = [...stdout.matchAll(/^ {2}(spamassassin:\S+) {3,}(spamassassin:\S+)$/gm)].map((m) => [m[1], m[2]])[0];
    assert.equal(first, printed[0].id);
    assert.equal(printed.find((p) => p.id === right)!.estimate, Math.min(...printed.slice(1).map((p) => p.estimate)));
    assert.ok(jaccard5(texts.get(first)!, texts.get(right)!) >= 0.5);

    // The recipe's dedup step kept everything but dedup()'s duplicates, in input order.
    const kept = gunzipSync(readFileSync(join(out, 'run', 'kept', 'spamassassin_spam_bodies.jsonl.gz'))).toString('utf8').trim().split('\n').map((l) => String(JSON.parse(l).id));
    const dropped = new Set(duplicates);
    assert.deepEqual(kept, spam.map((d) => String(d.id)).filter((id) => !dropped.has(id)));
    const manifest = JSON.parse(readFileSync(join(out, 'run', 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.totals.dropped, { near_duplicates: duplicates.length });
    assert.match(stdout, new RegExp(`^recipe: kept ${kept.length} of ${spam.length}; dropped \\{"near_duplicates":${duplicates.length}\\}`, 'm'));
  });
});
