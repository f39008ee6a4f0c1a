import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { createJsBackend } from '../../src/hash/index.js';
import type { ByteBatch, HashBackend, MinhashBatch, TokenBatch, Utf16Batch } from '../../src/hash/index.js';
import { backendInfo, setNativeIsa } from '../../src/native.js';
import { nativeBackends, skipAbsent } from './backends.js';

/** Input sizes of STYLE §13: around the 64-byte SHA-1 block and the 8-byte SipHash word, and big. */
const SIZES = [0, 1, 63, 64, 65, 4096, 1 << 20];
const SEEDS = [1, 2, 3];

/** A small deterministic generator (xorshift32), so every run sees the same inputs. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** Letters of several scripts, combining marks and astral characters (emoji, CJK extension B). */
const ALPHABET = [...'abcdefghijklmnopqrstuvwxyz0123456789', 'é', 'ß', 'ø', 'ç', 'e\u0301', 'ж', 'λ', '日', '本', '語', 'ก', '😀', '𝔘', '𠀋', '"', '–', '…'];

function randomWord(next: () => number): string {
  // Mostly short words, sometimes very long ones (shingles over 8 SHA-1 blocks take another path).
  const length = next() < 0.01 ? 40 + Math.floor(next() * 80) : 1 + Math.floor(next() * 10);
  let w = '';
  for (let i = 0; i < length; i++) w += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return w;
}

const encoder = new TextEncoder();

/** A document of exactly `size` UTF-8 bytes: random words joined by single spaces. */
function wordsDoc(size: number, next: () => number): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0;
  while (pos < size) {
    if (pos > 0) {
      if (size - pos < 2) break;
      out[pos++] = 0x20;
    }
    const w = encoder.encode(randomWord(next));
    const n = Math.min(w.length, size - pos);
    // A cut in the middle of a multi-byte character is still bytes: the kernels do not decode them.
    out.set(w.subarray(0, n), pos);
    pos += n;
  }
  while (pos < size) out[pos++] = 0x61;
  return out;
}

function concat(parts: Uint8Array[]): ByteBatch {
  const offsets = new Uint32Array(parts.length + 1);
  for (let k = 0; k < parts.length; k++) offsets[k + 1] = offsets[k] + parts[k].length;
  const bytes = new Uint8Array(offsets[parts.length]);
  parts.forEach((p, k) => bytes.set(p, offsets[k]));
  return { bytes, offsets };
}

/** Every size, plus a run of short documents: each batch ends exactly at its buffer's end. */
function minhashInput(seed: number): MinhashBatch {
  const next = rng(seed);
  const docs: Uint8Array[] = SIZES.map((s) => wordsDoc(s, next));
  for (let k = 0; k < 200; k++) docs.push(wordsDoc(Math.floor(next() * 400), next));
  docs.push(wordsDoc(1000, next));
  return concat(docs);
}

/** The same kind of documents as JS strings, lone surrogates included, as a `Utf16Batch` and as the UTF-8 TextEncoder makes of it. */
function utf16Input(seed: number): { utf16: Utf16Batch; utf8: MinhashBatch } {
  const next = rng(seed + 100);
  const texts: string[] = [];
  for (const size of [...SIZES, ...Array.from({ length: 200 }, () => Math.floor(next() * 400))]) {
    let t = '';
    while (t.length < size) {
      t += (t.length > 0 ? ' ' : '') + randomWord(next);
      if (next() < 0.02) t += String.fromCharCode(0xd800 + Math.floor(next() * 0x800));
    }
    // Cutting may split a surrogate pair: a lone surrogate at the end, on purpose.
    texts.push(t.slice(0, size));
  }
  const offsets = new Uint32Array(texts.length + 1);
  texts.forEach((t, d) => (offsets[d + 1] = offsets[d] + t.length));
  const units = new Uint16Array(offsets[texts.length]);
  texts.forEach((t, d) => {
    for (let i = 0; i < t.length; i++) units[offsets[d] + i] = t.charCodeAt(i);
  });
  return { utf16: { units, offsets }, utf8: concat(texts.map((t) => encoder.encode(t))) };
}

function bytesInput(seed: number): ByteBatch {
  const next = rng(seed);
  const parts = SIZES.map((s) => {
    const b = new Uint8Array(s);
    for (let i = 0; i < s; i++) b[i] = Math.floor(next() * 256);
    return b;
  });
  for (let k = 0; k < 300; k++) {
    const b = new Uint8Array(Math.floor(next() * 300));
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(next() * 256);
    parts.push(b);
  }
  return concat(parts);
}

/** Random UTF-16 documents (lone surrogates included) with random token spans, empty ones too. */
function tokenInput(seed: number): TokenBatch {
  const next = rng(seed);
  const docUnits: Uint16Array[] = [];
  const docSpans: number[][] = [];
  const sizes = [...SIZES.map((s) => Math.min(s, 1 << 18)), ...Array.from({ length: 100 }, () => Math.floor(next() * 500))];
  for (const size of sizes) {
    const text = ALPHABET.join('') + ' ';
    const u = new Uint16Array(size);
    for (let i = 0; i < size; i++) {
      const r = next();
      u[i] = r < 0.02 ? 0xd800 + Math.floor(next() * 0x800) : r < 0.05 ? Math.floor(next() * 0x10000) : text.charCodeAt(Math.floor(next() * text.length));
    }
    const spans: number[] = [];
    let pos = 0;
    while (pos < size) {
      const start = pos + Math.floor(next() * 3);
      const end = Math.min(size, start + Math.floor(next() * (next() < 0.02 ? 300 : 12)));
      if (start > end) break;
      spans.push(start, end);
      pos = end;
    }
    docUnits.push(u);
    docSpans.push(spans);
  }
  const unitOffsets = new Uint32Array(sizes.length + 1);
  const tokenOffsets = new Uint32Array(sizes.length + 1);
  sizes.forEach((_, d) => {
    unitOffsets[d + 1] = unitOffsets[d] + docUnits[d].length;
    tokenOffsets[d + 1] = tokenOffsets[d] + docSpans[d].length / 2;
  });
  const units = new Uint16Array(unitOffsets[sizes.length]);
  docUnits.forEach((u, d) => units.set(u, unitOffsets[d]));
  const spans = new Uint32Array(docSpans.flat());
  return { units, unitOffsets, spans, tokenOffsets };
}

/** The SIMD path sets of the cpu backend: everything cpuid found, then less and less down to portable code. */
const ISA_LEVELS: (readonly string[] | undefined)[] = [undefined, ['avx512f', 'avx2', 'sha-ni'], ['avx2', 'sha-ni'], ['sha-ni'], []];

describe('hash: native backends equal js bit for bit on random input', () => {
  const js = createJsBackend();
  after(() => setNativeIsa(undefined));
  const natives = nativeBackends();
  if (natives.length === 0) {
    it('no native backend to compare', (t) => {
      t.skip(backendInfo().loadErrors.cpu ?? 'no native backend');
    });
  }
  const expected = new Map<number, { mh: Uint32Array; sh: Uint32Array; mh16: Uint32Array; dsir: string; sha: Uint8Array; xx: BigUint64Array }>();
  function reference(seed: number) {
    let e = expected.get(seed);
    if (!e) {
      const r = js.minhashSignaturesSync(minhashInput(seed));
      const d = js.dsirBucketsSync(tokenInput(seed), { buckets: seed === 3 ? 1 << 24 : 10000 });
      const bytes = bytesInput(seed);
      const r16 = js.minhashSignaturesSync(utf16Input(seed).utf8);
      assert.deepEqual(js.minhashSignaturesUtf16Sync(utf16Input(seed).utf16).signatures, r16.signatures, 'js: UTF-16 path = TextEncoder + UTF-8 path');
      e = {
        mh: r.signatures,
        sh: r.shingles,
        mh16: r16.signatures,
        dsir: JSON.stringify([[...d.docOffsets], [...d.buckets], [...d.counts]]),
        sha: js.sha1Sync(bytes),
        xx: js.xxhash64Sync(bytes, { seed: BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n) }),
      };
      expected.set(seed, e);
    }
    return e;
  }

  async function compare(backend: HashBackend, seed: number, threads: number): Promise<void> {
    const e = reference(seed);
    const mb = minhashInput(seed);
    const r = threads === 1 ? backend.minhashSignaturesSync(mb, { threads }) : await backend.minhashSignatures(mb, { threads });
    assert.deepEqual(r.shingles, e.sh, 'shingle counts');
    assert.ok(Buffer.from(r.signatures.buffer).equals(Buffer.from(e.mh.buffer)), 'minhash signatures');
    const b16 = utf16Input(seed).utf16;
    const r16 = threads === 1 ? backend.minhashSignaturesUtf16Sync(b16, { threads }) : await backend.minhashSignaturesUtf16(b16, { threads });
    assert.ok(Buffer.from(r16.signatures.buffer).equals(Buffer.from(e.mh16.buffer)), 'minhash signatures from UTF-16');
    const tb = tokenInput(seed);
    const buckets = seed === 3 ? 1 << 24 : 10000;
    const d = threads === 1 ? backend.dsirBucketsSync(tb, { threads, buckets }) : await backend.dsirBuckets(tb, { threads, buckets });
    assert.equal(JSON.stringify([[...d.docOffsets], [...d.buckets], [...d.counts]]), e.dsir, 'dsir counts');
    const bytes = bytesInput(seed);
    const sha = threads === 1 ? backend.sha1Sync(bytes, { threads }) : await backend.sha1(bytes, { threads });
    assert.ok(Buffer.from(sha).equals(Buffer.from(e.sha)), 'sha1 digests');
    const xxSeed = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n);
    const xx = threads === 1 ? backend.xxhash64Sync(bytes, { threads, seed: xxSeed }) : await backend.xxhash64(bytes, { threads, seed: xxSeed });
    assert.deepEqual(xx, e.xx, 'xxhash64');
  }

  skipAbsent('bit-equality with js on random input');
  for (const backend of natives) {
    for (const isa of backend.name === 'cpu' ? ISA_LEVELS : [undefined]) {
      for (const seed of SEEDS) {
        const label = isa === undefined ? 'all CPU features' : isa.length === 0 ? 'portable code' : isa.join('+');
        it(`${backend.name} (${label}), seed ${seed}, 1 and 3 threads`, async () => {
          const paths = setNativeIsa(isa);
          assert.ok(paths);
          await compare(backend, seed, 1);
          await compare(backend, seed, 3);
        });
      }
    }
  }
});
