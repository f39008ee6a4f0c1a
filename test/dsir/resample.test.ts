import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createDsirScorer, createTopK, fitDsirFiles, gumbelKeys, gumbelNoise, loadDsirModel, parseResampleStep, resampleDsir, resamplingKeys } from '../../src/dsir/index.js';
import { readDocuments } from '../../src/io/read-documents.js';
import { SieveError } from '../../src/errors.js';
import { readJsonlGz, shared, sieve, tempDir } from '../helpers.js';

/** Ids of the documents a resample run kept, per output file. */
function keptIds(out: string): string[] {
  const dir = join(out, 'kept');
  return readdirSync(dir)
    .sort()
    .flatMap((f) =>
      gunzipSync(readFileSync(join(dir, f)))
        .toString('utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => String((JSON.parse(l) as { id: unknown }).id)),
    );
}

function keptBytes(out: string): Record<string, string> {
  const dir = join(out, 'kept');
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, gunzipSync(readFileSync(join(dir, f))).toString('utf8')]));
}

describe('dsir: bounded top-k', () => {
  it('keeps exactly what a full sort keeps, ties to the earlier (group, index), NaN never', () => {
    let state = 12345;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const all: { key: number; group: number; index: number }[] = [];
    for (let group = 0; group < 5; group++) {
      for (let index = 0; index < 400; index++) all.push({ key: random() < 0.1 ? Number.NaN : Math.floor(random() * 50), group, index });
    }
    for (const k of [0, 1, 7, 100, 1799, 5000]) {
      const top = createTopK(k);
      for (const c of all) top.offer(c.key, c.group, c.index);
      const expected = all
        .filter((c) => !Number.isNaN(c.key))
        .sort((a, b) => b.key - a.key || a.group - b.group || a.index - b.index)
        .slice(0, k)
        .sort((a, b) => a.group - b.group || a.index - b.index);
      const got = top.selection();
      assert.deepEqual([...got.groups], expected.map((c) => c.group), `k=${k}`);
      assert.deepEqual([...got.indices], expected.map((c) => c.index), `k=${k}`);
      assert.deepEqual([...got.keys], expected.map((c) => c.key), `k=${k}`);
    }
  });
});

describe('dsir: Gumbel noise', () => {
  it('is Gumbel(0, 1): mean ≈ γ, variance ≈ π²/6, and depends only on (seed, id)', () => {
    const ids = Array.from({ length: 100000 }, (_, i) => `doc:${i}`);
    const g = gumbelNoise(ids, 7n);
    let mean = 0;
    for (const x of g) mean += x / g.length;
    let variance = 0;
    for (const x of g) variance += (x - mean) ** 2 / g.length;
    assert.ok(Math.abs(mean - 0.5772156649) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(variance - Math.PI ** 2 / 6) < 0.05, `variance ${variance}`);
    assert.deepEqual([...gumbelNoise(['doc:5', 'doc:1'], 7n)], [g[5], g[1]]);
    assert.notEqual(gumbelNoise(['doc:5'], 8n)[0], g[5]);
    assert.ok(g.every(Number.isFinite));
  });

  it('top-1 of log weight + noise picks each document with probability ∝ its weight', () => {
    const weights = [1, 2, 7];
    const logWeights = Float64Array.from(weights, Math.log);
    const ids = ['a', 'b', 'c'];
    const wins = [0, 0, 0];
    const seeds = 6000;
    for (let seed = 0; seed < seeds; seed++) {
      const keys = gumbelKeys(ids, logWeights, BigInt(seed));
      wins[keys.indexOf(Math.max(...keys))]++;
    }
    weights.forEach((w, i) => {
      const expected = (seeds * w) / 10;
      // Four binomial standard deviations.
      assert.ok(Math.abs(wins[i] - expected) < 4 * Math.sqrt(expected * (1 - w / 10)), `${ids[i]}: ${wins[i]} wins, expected ≈ ${expected}`);
    });
  });
});

describe('dsir: the recipe step options', () => {
  it('are checked, with RPv2 defaults', () => {
    assert.deepEqual(parseResampleStep({ method: 'dsir', target: 'wiki.jsonl', k: 10 }, 'r.yaml', 4), {
      method: 'dsir',
      target: ['wiki.jsonl'],
      k: 10,
      seed: 0n,
      features: { kind: 'rpv2', buckets: 10000 },
    });
    const step = parseResampleStep({ method: 'dsir', target: ['a', 'b'], fraction: 0.1, seed: 7, features: 'dsir', buckets: 4096 }, 'r.yaml', 4);
    assert.deepEqual([step.target, step.fraction, step.seed, step.features], [['a', 'b'], 0.1, 7n, { kind: 'dsir', buckets: 4096 }]);
  });

  it('report every problem at once, at the step', () => {
    assert.throws(
      () => parseResampleStep({ method: 'minhash', target: 3, k: 1, fraction: 2, features: 'bpe', seed: -1, top: 1 }, 'r.yaml', 9),
      (e: unknown) =>
        e instanceof SieveError &&
        e.code === 'E_RECIPE' &&
        e.issues?.length === 7 &&
        e.issues.every((i) => i.file === 'r.yaml' && i.line === 9) &&
        ['unknown key "top"', 'method: dsir', '`target`', 'exactly one of', '`fraction`', '`seed`', 'features must be'].every((m) => e.issues?.some((i) => i.message.includes(m))),
    );
  });
});

describe('dsir: resampling a mixed pool toward a target (issue 7 done-when)', () => {
  let dir: string;
  let pool: string[];
  let heldout: { wiki: Set<string>; moby: Set<string> };
  let poolSize: number;
  const targets: Record<'wiki' | 'moby', string> = { wiki: '', moby: '' };

  before(async () => {
    dir = tempDir();
    // Even-numbered articles and chapters fit the targets; the odd ones are hidden in the pool.
    const wiki = await readJsonlGz(shared('corpus', 'reference', 'wikitext2_raw_test_articles.jsonl.gz'));
    const moby = await readJsonlGz(shared('corpus', 'reference', 'moby_dick_chapters.jsonl.gz'));
    const lines = (records: Record<string, unknown>[]) => records.map((r) => JSON.stringify({ id: r.id, text: r.text })).join('\n') + '\n';
    targets.wiki = join(dir, 'wiki-fit.jsonl');
    targets.moby = join(dir, 'moby-fit.jsonl');
    writeFileSync(targets.wiki, lines(wiki.filter((_, i) => i % 2 === 0)));
    writeFileSync(targets.moby, lines(moby.filter((_, i) => i % 2 === 0)));
    const hidden = [...wiki.filter((_, i) => i % 2 === 1), ...moby.filter((_, i) => i % 2 === 1)];
    writeFileSync(join(dir, 'heldout.jsonl'), lines(hidden));
    heldout = {
      wiki: new Set(wiki.filter((_, i) => i % 2 === 1).map((r) => String(r.id))),
      moby: new Set(moby.filter((_, i) => i % 2 === 1).map((r) => String(r.id))),
    };
    pool = [shared('corpus', 'web', 'web_docs.jsonl.gz'), shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'), join(dir, 'heldout.jsonl')];
    poolSize = 1094 + 1876 + hidden.length;
  });

  it('wikitext target (CLI): k = 50 selects held-out Wikipedia articles far above their base rate, the same with 1 or 2 workers', () => {
    const model = join(dir, 'wiki.dsir.json');
    const fit = sieve(['dsir', 'fit', '--target', targets.wiki, '--raw', ...pool, '--out', model]);
    assert.equal(fit.status, 0, fit.stderr);
    const two = join(dir, 'wiki-2');
    const one = join(dir, 'wiki-1');
    const r2 = sieve(['dsir', 'resample', '--model', model, '--k', '50', ...pool, '--out', two, '--seed', '1', '--workers', '2']);
    assert.equal(r2.status, 0, r2.stderr);
    const r1 = sieve(['dsir', 'resample', '--model', model, '--k', '50', ...pool, '--out', one, '--seed', '1', '--workers', '1']);
    assert.equal(r1.status, 0, r1.stderr);
    assert.deepEqual(keptBytes(one), keptBytes(two));
    assert.equal(readFileSync(join(one, 'manifest.json'), 'utf8'), readFileSync(join(two, 'manifest.json'), 'utf8'));

    const ids = keptIds(two);
    assert.equal(ids.length, 50);
    const hits = ids.filter((id) => heldout.wiki.has(id)).length;
    const precision = hits / 50;
    const baseRate = heldout.wiki.size / poolSize;
    console.log(`# wikitext target: ${hits}/50 selected are held-out wikitext articles (precision ${precision.toFixed(2)}, base rate ${baseRate.toFixed(4)}, ×${(precision / baseRate).toFixed(0)})`);
    assert.ok(precision >= 20 * baseRate, `precision ${precision} vs base rate ${baseRate}`);

    const manifest = JSON.parse(readFileSync(join(two, 'manifest.json'), 'utf8'));
    assert.equal(manifest.totals.documents, poolSize);
    assert.equal(manifest.totals.kept + manifest.totals.dropped.dsir_resample + manifest.totals.rejected, poolSize);
    assert.equal(manifest.resample.k, 50);
    assert.ok(!existsSync(join(two, '.dsir-keys')), 'the scratch keys are removed');
  });

  it('Moby-Dick target (library): k = 50 selects held-out chapters far above their base rate, the same again for the same seed', async () => {
    const model = join(dir, 'moby.dsir.json');
    await fitDsirFiles({ target: [targets.moby], raw: pool, out: model });
    const run = (seed: number, out: string) => resampleDsir({ model, inputs: pool, out: join(dir, out), k: 50, seed, workers: 1 });
    await run(3, 'moby-3');
    const ids = keptIds(join(dir, 'moby-3'));
    const hits = ids.filter((id) => heldout.moby.has(id)).length;
    const precision = hits / 50;
    const baseRate = heldout.moby.size / poolSize;
    console.log(`# Moby-Dick target: ${hits}/50 selected are held-out chapters (precision ${precision.toFixed(2)}, base rate ${baseRate.toFixed(4)}, ×${(precision / baseRate).toFixed(0)})`);
    assert.ok(precision >= 20 * baseRate, `precision ${precision} vs base rate ${baseRate}`);
    await run(3, 'moby-3-again');
    assert.deepEqual(keptBytes(join(dir, 'moby-3-again')), keptBytes(join(dir, 'moby-3')));
  });

  it('the exported building blocks of the recipe step (keys, bounded top-k) choose the same documents', async () => {
    const scorer = createDsirScorer(await loadDsirModel(join(dir, 'moby.dsir.json')));
    const top = createTopK(50);
    const ids: string[][] = [];
    for (const [group, path] of pool.entries()) {
      ids.push([]);
      let index = 0;
      for await (const batch of readDocuments(path)) {
        const keys = resamplingKeys(batch.documents, scorer, 3n);
        for (let d = 0; d < keys.length; d++) top.offer(keys[d], group, index++);
        ids[group].push(...batch.documents.map((doc) => doc.id));
      }
    }
    const chosen = top.selection();
    assert.deepEqual(Array.from(chosen.indices, (index, i) => ids[chosen.groups[i]][index]).sort(), keptIds(join(dir, 'moby-3')).sort());
  });

  it('--fraction F selects round(F × documents), the top of the same keys as --k', async () => {
    const model = join(dir, 'moby.dsir.json');
    const input = [join(dir, 'heldout.jsonl')];
    const byFraction = await resampleDsir({ model, inputs: input, out: join(dir, 'fraction'), fraction: 0.25, seed: 9, workers: 1 });
    assert.equal(byFraction.manifest.resample.k, 25);
    assert.equal(byFraction.manifest.totals.kept, 25);
    await resampleDsir({ model, inputs: input, out: join(dir, 'k25'), k: 25, seed: 9, workers: 1 });
    assert.deepEqual(keptBytes(join(dir, 'fraction')), keptBytes(join(dir, 'k25')));
    // Kept records are the input lines, byte for byte.
    const inputLines = new Set(readFileSync(input[0], 'utf8').trim().split('\n'));
    for (const line of keptBytes(join(dir, 'k25'))['heldout.jsonl.gz'].trim().split('\n')) assert.ok(inputLines.has(line));
  });

  it('among equally weighted documents the seed decides the sample', async () => {
    const input = join(dir, 'same.jsonl');
    writeFileSync(input, Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `same:${i}`, text: 'Call me Ishmael.' })).join('\n') + '\n');
    const samples = [];
    for (const seed of [1, 2, 1]) {
      await resampleDsir({ model: join(dir, 'moby.dsir.json'), inputs: [input], out: join(dir, `same-${samples.length}`), k: 5, seed, workers: 1 });
      samples.push(keptIds(join(dir, `same-${samples.length}`)));
    }
    assert.equal(samples[0].length, 5);
    assert.notDeepEqual(samples[1], samples[0]);
    assert.deepEqual(samples[2], samples[0]);
  });

  it('k larger than the candidates keeps every document with a text; empty texts are never selected', async () => {
    const input = join(dir, 'small.jsonl');
    writeFileSync(input, ['{"id": "a", "text": "the whale"}', '{"id": "b", "text": ""}', '{"id": "c", "text": "Call me Ishmael."}'].join('\n') + '\n');
    const { manifest } = await resampleDsir({ model: join(dir, 'moby.dsir.json'), inputs: [input], out: join(dir, 'small'), k: 10, workers: 1 });
    assert.deepEqual(keptIds(join(dir, 'small')), ['a', 'c']);
    assert.equal(manifest.totals.candidates, 2);
    assert.deepEqual(manifest.totals.dropped, { dsir_resample: 1 });
  });

  it('`sieve dsir resample` usage errors exit with code 2', () => {
    for (const [args, message] of [
      [['--k', '5', '--fraction', '0.1'], /exactly one of k/],
      [['--k', 'many'], /--k takes a number/],
      [['--k', '5', '--seed', '-1'], /seed must be an integer/],
    ] as [string[], RegExp][]) {
      const r = sieve(['dsir', 'resample', '--model', join(dir, 'moby.dsir.json'), join(dir, 'heldout.jsonl'), '--out', join(dir, 'bad-resample'), ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });

  it('rejects k and fraction together, neither, or out of range', async () => {
    const base = { model: join(dir, 'moby.dsir.json'), inputs: [join(dir, 'heldout.jsonl')], out: join(dir, 'bad') };
    for (const extra of [{ k: 5, fraction: 0.5 }, {}, { k: -1 }, { k: 1.5 }, { fraction: 2 }, { k: 5, seed: -3 }, { k: 5, seed: 'x' }]) {
      await assert.rejects(resampleDsir({ ...base, ...extra }), (e: unknown) => e instanceof SieveError && e.code === 'E_USAGE', JSON.stringify(extra));
    }
  });
});
