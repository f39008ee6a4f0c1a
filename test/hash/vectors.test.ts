import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  MINHASH_BANDS,
  NUM_PERMUTATIONS,
  PERMUTATION_A,
  PERMUTATION_B,
  PERMUTATION_CHECKSUM,
  dsirBatch,
  dsirFeatures,
  idInts,
  minhashBands,
  minhashSignatures,
  utf8Batch,
} from '../../src/hash/index.js';
import { permuteMin } from '../../src/hash/minhash.js';
import { HASH_RESULT, absMod, pyPairHash, pyStrHashUnits } from '../../src/hash/python-hash.js';
import { nativePermutations } from '../../src/native.js';
import { TextView } from '../../src/text/index.js';
import { shared } from '../helpers.js';
import { backends, skipAbsent } from './backends.js';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function units(s: string): Uint16Array {
  const u = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

function strHash(s: string): bigint {
  pyStrHashUnits(units(s), 0, s.length);
  return BigInt.asIntN(64, (BigInt(HASH_RESULT[0] >>> 0) << 32n) | BigInt(HASH_RESULT[1] >>> 0));
}

/** §8.1 test vectors, plus lone surrogates and 1-byte edge cases computed with CPython 3.11.7, PYTHONHASHSEED=42. */
const STR_VECTORS: [string, bigint, number][] = [
  ['the', 6599659648229272820n, 2820],
  ['The', 28150671178049062n, 9062],
  ['a', -123207753977932514n, 2514],
  ['hello', 841626496250501200n, 1200],
  ['Wikipedia', -9180890502289637379n, 7379],
  ['é', 5653850369683463245n, 3245],
  ['über', -4067773875927903152n, 3152],
  ['日本語', 337426736487537137n, 7137],
  ['😀x', -7412435959675129227n, 9227],
  ['longer string with more than eight bytes', -7972239571376209765n, 9765],
  ['\ud83d', 237811922836933733n, 3733],
  ['x\udc00y', 7739784179930831883n, 1883],
  ['\u0100', -1210628546572122282n, 2282],
  ['\u00ff', 3918415137634315216n, 5216],
  ['\u0000', -3564585677187238775n, 8775],
];

const PAIR_VECTORS: [string, string, bigint, number][] = [
  ['the', 'cat', -1944465398313317419n, 7419],
  ['of', 'the', -7575841497801581616n, 1616],
  ['New', 'York', 3505915318370641955n, 1955],
  ['é', '日本', 4401618136723743642n, 3642],
  ['the', 'the', 8796914652991497472n, 7472],
];

/** XXH64 vectors from an independent implementation (hash-wasm 4.13.0). */
const XXH64_VECTORS: [string | number, bigint, string][] = [
  ['', 0n, 'ef46db3751d8e999'],
  ['', 42n, '98b1582b0977e704'],
  ['a', 0n, 'd24ec4f1a98c6e5b'],
  ['abc', 0n, '44bc2cf5ad770999'],
  ['abc', 42n, '13c1d910702770e6'],
  ['héllo wörld 😀', 0n, '3eea352129a29a6a'],
  [3, 0n, '56e6957632a487f9'],
  [4, 0xfedcba9876543210n, '8babc489c17bef0e'],
  [7, 0n, 'afbefc3d6c6f9a8e'],
  [8, 0xfedcba9876543210n, '44bbca98f35d16be'],
  [31, 0n, '4a74f3a1a39ad4a1'],
  [32, 0n, '8d57d6a4671cc43d'],
  [33, 0xfedcba9876543210n, 'f48032f6ef366fff'],
  [63, 0n, '5c320a0d2707057f'],
  [64, 0xfedcba9876543210n, '6232e39ca777b0b6'],
  [100, 0n, 'efa0ad2d3e70c151'],
  [1000, 0xfedcba9876543210n, '4a2ca94d3ed27c25'],
];

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255;
  return b;
}

const REPETITIVE =
  'one two three four five six seven eight nine ten eleven twelve thirteen one two three four five six seven eight nine ten eleven twelve thirteen fourteen';

/** Appendix A: the full signature of App. B vector `repetitive`. */
const REPETITIVE_SIGNATURE = [
  318515796, 582690046, 795501976, 94205940, 11527891, 228198615, 242471432, 57721624, 111394368, 128395614, 308547839, 323618043,
  68973551, 293399716, 41655306, 182349910, 200170309, 760774906, 860783956, 391480268, 343552353, 124390351, 180783646, 567815976,
  21875764, 105309056, 308155390, 342670479, 451550561, 310945591, 190232377, 199248, 302710134, 125054379, 166276490, 93322746,
  89835988, 57247415, 431609025, 124795131, 299092030, 99327983, 622953395, 67355639, 297622961, 23749247, 589669792, 360284742,
  28483551, 210297010, 472430039, 264710697, 113124672, 85105914, 70984830, 978892412, 274231619, 140621463, 73982221, 85178256,
  408324696, 297126814, 59964665, 900957478, 32945083, 51374392, 438979919, 42072842, 80470115, 354460904, 285583908, 657863908,
  59652343, 652489446, 207466290, 437208580, 591224924, 78047396, 192216303, 275770226, 60499250, 346333172, 411692442, 80604605,
  13912088, 20534110, 405349871, 1273252666, 113182963, 33076377, 17517677, 12612697, 185984491, 405029078, 15925893, 71958200,
  501861947, 68466580, 333533204, 481382452, 234907416, 695945422, 632351627, 32899212, 75199586, 291779014, 449527883, 23699042,
  111814314, 44474093, 59045172, 2490887, 79847654, 258772792, 628257220, 116114063, 108921646, 190370658, 98245094, 335407791,
  343406876, 284972311, 112867047, 59076454, 118355574, 374295260, 1011607849, 116266734,
];

describe('hash: permutation table (spec §6 step 5, Appendix A)', () => {
  it('has the checksum the reference logs', () => {
    const buf = Buffer.alloc(8 * 2 * NUM_PERMUTATIONS);
    [...PERMUTATION_A, ...PERMUTATION_B].forEach((v, i) => buf.writeBigUInt64LE(BigInt(v), 8 * i));
    assert.equal(createHash('sha256').update(buf).digest('hex'), PERMUTATION_CHECKSUM);
    const params = JSON.parse(readFileSync(shared('reference', 'minhash_params.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(params.minhash_checksum_sha256, PERMUTATION_CHECKSUM);
    assert.deepEqual(params.minhash_permutations_a, PERMUTATION_A);
    assert.deepEqual(params.minhash_permutations_b, PERMUTATION_B);
  });

  it('the band layout is the reference optimal_param table', () => {
    const params = JSON.parse(readFileSync(shared('reference', 'minhash_params.json'), 'utf8')) as { minhash_bands_rows: Record<string, number[]> };
    for (const spec of MINHASH_BANDS) assert.deepEqual(params.minhash_bands_rows[spec.threshold.toFixed(1)], [spec.bands, spec.rows]);
  });

  it('the addon carries the same table', (t) => {
    const native = nativePermutations();
    if (native === null) {
      t.skip('no addon');
      return;
    }
    assert.deepEqual([...native].map(String), [...PERMUTATION_A, ...PERMUTATION_B]);
  });

  it('permuteMin (no BigInt) equals the BigInt definition, edge hashes included', () => {
    const P = (1n << 61n) - 1n;
    let seed = 12345;
    const hashes = new Uint32Array(300);
    for (let i = 0; i < hashes.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      hashes[i] = seed;
    }
    hashes.set([0, 1, 0xffffffff, 0x80000000, 0x7fffffff], 0);
    for (let k = 0; k < hashes.length; k++) {
      const out = new Uint32Array(NUM_PERMUTATIONS).fill(0xffffffff);
      permuteMin(hashes, k + 1, out, 0);
      const h = BigInt(hashes[k]);
      const single = new Uint32Array(NUM_PERMUTATIONS).fill(0xffffffff);
      permuteMin(hashes.subarray(k), 1, single, 0);
      for (let i = 0; i < NUM_PERMUTATIONS; i++) {
        const expected = Number((BigInt.asUintN(64, h * BigInt(PERMUTATION_A[i]) + BigInt(PERMUTATION_B[i])) % P) & 0xffffffffn);
        assert.equal(single[i], expected, `h=${h} perm ${i}`);
      }
    }
  });
});

describe('hash: CPython str and tuple hash, PYTHONHASHSEED=42 (spec §8.1)', () => {
  it('str vectors (js arithmetic)', () => {
    for (const [s, h, bucket] of STR_VECTORS) {
      assert.equal(strHash(s), h, JSON.stringify(s));
      pyStrHashUnits(units(s), 0, s.length);
      assert.equal(absMod(HASH_RESULT[0], HASH_RESULT[1], 10000), bucket, JSON.stringify(s));
    }
  });

  it('tuple vectors (js arithmetic)', () => {
    for (const [x, y, h, bucket] of PAIR_VECTORS) {
      pyStrHashUnits(units(x), 0, x.length);
      const [xh, xl] = [HASH_RESULT[0], HASH_RESULT[1]];
      pyStrHashUnits(units(y), 0, y.length);
      pyPairHash(xh, xl, HASH_RESULT[0], HASH_RESULT[1]);
      assert.equal(BigInt.asIntN(64, (BigInt(HASH_RESULT[0] >>> 0) << 32n) | BigInt(HASH_RESULT[1] >>> 0)), h, `${x} ${y}`);
      assert.equal(absMod(HASH_RESULT[0], HASH_RESULT[1], 10000), bucket);
    }
  });

  skipAbsent('DSIR vectors');
  for (const backend of backends()) {
    it(`${backend.name}: one-token and two-token documents land in the vector buckets`, () => {
      // A one-token document is exactly its unigram bucket; a two-token one adds the pair's.
      const batch = {
        units: units(STR_VECTORS.map(([s]) => s).join('')),
        unitOffsets: new Uint32Array(STR_VECTORS.length + 1),
        spans: new Uint32Array(2 * STR_VECTORS.length),
        tokenOffsets: new Uint32Array(STR_VECTORS.length + 1),
      };
      STR_VECTORS.forEach(([s], d) => {
        batch.unitOffsets[d + 1] = batch.unitOffsets[d] + s.length;
        batch.tokenOffsets[d + 1] = d + 1;
        batch.spans[2 * d + 1] = s.length;
      });
      const r = backend.dsirBucketsSync(batch);
      STR_VECTORS.forEach(([s, , bucket], d) => {
        assert.deepEqual([...r.buckets.subarray(r.docOffsets[d], r.docOffsets[d + 1])], [bucket], JSON.stringify(s));
        assert.deepEqual([...r.counts.subarray(r.docOffsets[d], r.docOffsets[d + 1])], [1]);
      });
      for (const [x, y, , bucket] of PAIR_VECTORS) {
        const text = `${x} ${y}`;
        const view = new TextView(text);
        const features = dsirFeatures([view], 10000, { backend })[0];
        assert.ok(features.some((f) => f.bucket === bucket), `${x} ${y}: pair bucket ${bucket} in ${JSON.stringify(features)}`);
        const total = features.reduce((n, f) => n + f.count, 0);
        assert.equal(total, 3);
      }
    });

    it(`${backend.name}: App. B 'repetitive' DSIR features`, () => {
      const f = dsirFeatures([new TextView(REPETITIVE)], 10000, { backend })[0];
      assert.equal(f.length, 28);
      assert.equal(
        f.reduce((n, x) => n + x.count, 0),
        53,
      );
      assert.deepEqual(
        f.slice(0, 10).map((x) => `${x.bucket}:${x.count}`),
        ['1653:2', '1946:2', '2208:2', '2361:2', '2609:2', '2638:2', '2713:2', '2853:1', '3509:1', '3564:2'],
      );
    });

    it(`${backend.name}: the dsir batch of an empty view has no features; other bucket counts work`, () => {
      assert.deepEqual(dsirFeatures([new TextView(''), new TextView('   ')], 10000, { backend }), [[], []]);
      const small = backend.dsirBucketsSync(dsirBatch([new TextView('the cat sat')]), { buckets: 7 });
      for (const b of small.buckets) assert.ok(b < 7);
    });
  }
});

describe('hash: SHA-1 (FIPS 180-4)', () => {
  const KNOWN: [string, string][] = [
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['The quick brown fox jumps over the lazy dog', '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
  ];
  skipAbsent('SHA-1 and id_int vectors');
  for (const backend of backends()) {
    it(`${backend.name}: known digests, every length 0..200 and a million 'a'`, () => {
      const texts = KNOWN.map(([s]) => s);
      const digests = backend.sha1Sync(utf8Batch(texts));
      KNOWN.forEach(([, d], k) => assert.equal(hex(digests.subarray(20 * k, 20 * k + 20)), d));
      const bytes = pattern(200);
      const offsets = new Uint32Array(202);
      const all = new Uint8Array(200 * 201 / 2);
      let pos = 0;
      for (let n = 0; n <= 200; n++) {
        all.set(bytes.subarray(0, n), pos);
        pos += n;
        offsets[n + 1] = pos;
      }
      const out = backend.sha1Sync({ bytes: all, offsets });
      for (let n = 0; n <= 200; n++) assert.equal(hex(out.subarray(20 * n, 20 * n + 20)), createHash('sha1').update(bytes.subarray(0, n)).digest('hex'), `length ${n}`);
      const million = new Uint8Array(1_000_000).fill(0x61);
      assert.equal(hex(backend.sha1Sync({ bytes: million, offsets: new Uint32Array([0, million.length]) })), '34aa973cd4c4daa4f61eeb2bdbad27316534016f');
    });

    it(`${backend.name}: RPv2 id_int (spec §5.2)`, () => {
      assert.deepEqual(
        [...idInts(['2023-06/0000/en_head.json.gz/0', '2023-06/0000/en_head.json.gz/1'], { backend })],
        [13812950656272331291n, 8127146984550315337n],
      );
    });
  }
});

describe('hash: XXH64', () => {
  skipAbsent('XXH64 vectors');
  for (const backend of backends()) {
    it(`${backend.name}: vectors of an independent implementation`, () => {
      for (const [input, seed, expected] of XXH64_VECTORS) {
        const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : pattern(input);
        const h = backend.xxhash64Sync({ bytes, offsets: new Uint32Array([0, bytes.length]) }, { seed });
        assert.equal(h[0].toString(16).padStart(16, '0'), expected, `${String(input)} seed ${seed}`);
      }
    });
  }
});

describe('hash: MinHash vectors (spec App. A/B)', () => {
  skipAbsent('MinHash vectors');
  for (const backend of backends()) {
    it(`${backend.name}: the full 'repetitive' signature and its bands`, () => {
      const r = minhashSignatures([new TextView(REPETITIVE)], { backend });
      assert.deepEqual([...r.signatures], REPETITIVE_SIGNATURE);
      assert.equal(r.shingles[0], 15);
      const bands = minhashBands([new TextView(REPETITIVE)], { backend })[0];
      assert.ok(bands);
      assert.equal(hex(bands['signature_sim0.7'][0]), '12fc2a5422bb24fe2f6a6598059d77f400afe6d30d9a08d70e73d2080370c31806a3be40');
      assert.equal(hex(bands['signature_sim0.7'][13]), '0b58d36205db19e613fdeaaf1477f91c10fc551706ba36e703856f66070df676164f4adc');
      assert.equal(
        hex(bands['signature_sim0.8'][8]),
        '047b7462116431c61acb404b01699e6206aa26aa02a69eed0384f5340026020704c260e60f6c8f38257271c406ebc28f067e032e',
      );
      for (const spec of MINHASH_BANDS) {
        assert.equal(bands[spec.column as keyof typeof bands].length, spec.bands);
        for (const band of bands[spec.column as keyof typeof bands]) assert.equal(band.length, 4 * spec.rows);
      }
    });

    it(`${backend.name}: fewer than 13 normalized words gives null, exactly 13 gives one shingle`, () => {
      const twelve = Array.from({ length: 12 }, (_, i) => `w${i}`).join(' ');
      const thirteen = `${twelve} w12`;
      const bands = minhashBands([new TextView(''), new TextView(twelve), new TextView(thirteen), new TextView(`!!! ${thirteen} ...`)], { backend });
      assert.equal(bands[0], null);
      assert.equal(bands[1], null);
      assert.ok(bands[2]);
      // Punctuation-only words vanish in normalization: the same 13 words, the same signature.
      assert.deepEqual(bands[3], bands[2]);
      const r = minhashSignatures([new TextView(thirteen)], { backend });
      assert.equal(r.shingles[0], 1);
    });
  }
});
