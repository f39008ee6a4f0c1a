import type { DictionaryData, FastTextArgs, IntTableData } from './model-data.js';
import { TokenCache } from './token-cache.js';

/** fastText's end-of-sentence token, which every line ends with. */
export const EOS = '</s>';
/** fastText's default label prefix (a model file does not store it). */
export const LABEL_PREFIX = '__label__';

const EOS_BYTES = new TextEncoder().encode(EOS);
const LABEL_BYTES = new TextEncoder().encode(LABEL_PREFIX);
const BOW = 0x3c; // '<'
const EOW = 0x3e; // '>'
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
/** fastText's multiplier for word n-gram hashes. */
const NGRAM_MULTIPLIER = 116049371;
const TWO_32 = 4294967296;

/** The separators of fastText's `readWord`: space, `\n`, `\r`, `\t`, `\v`, `\f`, `\0`. */
const SEPARATOR = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09, 0x0b, 0x0c, 0x00]) SEPARATOR[c] = 1;

/**
 * fastText's `Dictionary::hash`: FNV-1a over the bytes, each byte sign-extended from int8 first
 * (so bytes ≥ 0x80 xor in 0xffffff..), as an int32.
 */
export function fastTextHash(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ ((bytes[i] << 24) >> 24), FNV_PRIME);
  return h;
}

/** Smallest power of two ≥ 2n (at least 8): load factor ≤ 1/2 keeps linear probing short. */
export function tableSize(n: number): number {
  let size = 8;
  while (size < 2 * n) size *= 2;
  return size;
}

/** The value stored for `key` in an {@link IntTableData}, or -1. */
export function intTableGet(table: IntTableData, key: number): number {
  const keys = table.keys;
  const mask = keys.length - 1;
  for (let slot = Math.imul(key, 0x9e3779b1) & mask; ; slot = (slot + 1) & mask) {
    const k = keys[slot];
    if (k === key) return table.values[slot];
    if (k === -1) return -1;
  }
}

/** Inserts `key → value` (keys ≥ 0) into a table built by the caller with every key -1. */
export function intTableSet(table: IntTableData, key: number, value: number): void {
  const keys = table.keys;
  const mask = keys.length - 1;
  let slot = Math.imul(key, 0x9e3779b1) & mask;
  while (keys[slot] !== -1 && keys[slot] !== key) slot = (slot + 1) & mask;
  keys[slot] = key;
  table.values[slot] = value;
}

/** A growable list of int32, reused across lines so the hot loop allocates nothing. */
export class IntList {
  values = new Int32Array(256);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }
}

/**
 * fastText's dictionary at inference: turns one line of UTF-8 into the input rows fastText sums
 * (`Dictionary::getLine` with `addSubwords` and `addWordNgrams`), in fastText's order, which the
 * float32 sum depends on.
 */
export class Dictionary {
  readonly nwords: number;
  readonly nlabels: number;
  private readonly minn: number;
  private readonly maxn: number;
  private readonly bucket: number;
  private readonly wordNgrams: number;
  private readonly eosId: number;
  private readonly eosHash: number;
  private readonly wordHashes = new IntList();
  private wrapped = new Uint8Array(64);
  private readonly labelNames: string[];
  /** Only models with character n-grams gain from remembering a token's rows. */
  private readonly cache?: TokenCache;

  constructor(
    private readonly data: DictionaryData,
    args: FastTextArgs,
  ) {
    this.nwords = data.nwords;
    this.nlabels = data.nlabels;
    this.minn = args.minn;
    this.maxn = args.maxn;
    this.bucket = args.bucket;
    this.wordNgrams = args.wordNgrams;
    if (this.maxn > 0 && this.bucket > 0) this.cache = new TokenCache();
    this.eosHash = fastTextHash(EOS_BYTES, 0, EOS_BYTES.length);
    this.eosId = this.find(EOS_BYTES, 0, EOS_BYTES.length, this.eosHash);
    const decoder = new TextDecoder();
    this.labelNames = Array.from({ length: data.nlabels }, (_, i) => decoder.decode(this.entryBytes(data.nwords + i)));
  }

  /** The entry's UTF-8 bytes. */
  entryBytes(id: number): Uint8Array {
    return this.data.bytes.subarray(this.data.starts[id], this.data.starts[id + 1]);
  }

  /** Label `i` as the model writes it (with its `__label__` prefix). */
  label(i: number): string {
    return this.labelNames[i];
  }

  get labels(): readonly string[] {
    return this.labelNames;
  }

  /** The entry id of the bytes `[start, end)` whose hash is `h`, or -1. */
  find(bytes: Uint8Array, start: number, end: number, h: number): number {
    const { table, hashes, starts } = this.data;
    const words = this.data.bytes;
    const mask = table.length - 1;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = table[slot];
      if (id === -1) return -1;
      if (hashes[id] !== h) continue;
      const s = starts[id];
      if (starts[id + 1] - s !== len) continue;
      let k = 0;
      while (k < len && words[s + k] === bytes[start + k]) k++;
      if (k === len) return id;
    }
  }

  /**
   * Appends to `out` the input rows of the first line of `bytes[0..length)` followed by `\n` (as the
   * Python binding appends one): each word's id (in vocabulary) and its character n-gram buckets,
   * `</s>`, then the word n-gram buckets. Tokens are split on fastText's separators only.
   */
  lineIds(bytes: Uint8Array, length: number, out: IntList): void {
    const hashes = this.wordHashes;
    hashes.length = 0;
    let i = 0;
    for (;;) {
      while (i < length && SEPARATOR[bytes[i]] === 1 && bytes[i] !== 0x0a) i++;
      if (i >= length || bytes[i] === 0x0a) {
        // An empty word at a newline is the end-of-sentence token, and the line ends there.
        this.addToken(EOS_BYTES, 0, EOS_BYTES.length, this.eosHash, out);
        break;
      }
      const start = i;
      while (i < length && SEPARATOR[bytes[i]] === 0) i++;
      const h = fastTextHash(bytes, start, i);
      this.addToken(bytes, start, i, h, out);
      // A literal `</s>` in the text ends the line too, as in fastText.
      if (h === this.eosHash && isEos(bytes, start, i)) break;
    }
    if (this.wordNgrams > 1 && this.bucket > 0) this.addWordNgrams(out);
  }

  private addToken(bytes: Uint8Array, start: number, end: number, h: number, out: IntList): void {
    const eos = h === this.eosHash && isEos(bytes, start, end);
    if (this.cache && !eos && this.cache.appendTo(bytes, start, end, h, out)) {
      this.wordHashes.push(h);
      return;
    }
    const wid = eos ? this.eosId : this.find(bytes, start, end, h);
    const isWord = wid < 0 ? !startsWithLabel(bytes, start, end) : this.data.types[wid] === 0;
    if (!isWord) return;
    const from = out.length;
    if (wid >= 0) out.push(wid);
    // `</s>` has no character n-grams.
    if (this.cache && !eos) {
      this.addSubwords(bytes, start, end, out);
      this.cache.add(bytes, start, end, h, out, from);
    }
    this.wordHashes.push(h);
  }

  /** fastText's `computeSubwords` on `<word>`: every run of minn..maxn UTF-8 characters but the bare `<` and `>`. */
  private addSubwords(bytes: Uint8Array, start: number, end: number, out: IntList): void {
    const len = end - start + 2;
    if (this.wrapped.length < len) this.wrapped = new Uint8Array(len * 2);
    const w = this.wrapped;
    w[0] = BOW;
    w.set(bytes.subarray(start, end), 1);
    w[len - 1] = EOW;
    const { minn, maxn, bucket } = this;
    for (let i = 0; i < len; i++) {
      if ((w[i] & 0xc0) === 0x80) continue;
      let h = FNV_OFFSET;
      for (let j = i, n = 1; j < len && n <= maxn; n++) {
        h = Math.imul(h ^ ((w[j++] << 24) >> 24), FNV_PRIME);
        while (j < len && (w[j] & 0xc0) === 0x80) h = Math.imul(h ^ ((w[j++] << 24) >> 24), FNV_PRIME);
        if (n >= minn && !(n === 1 && (i === 0 || j === len))) this.pushHash(out, uint32Mod(h, bucket));
      }
    }
  }

  /**
   * fastText's `addWordNgrams`: for each word, the hashes of the n-grams starting there, with the
   * uint64 recurrence `h = h * 116049371 + hash` over sign-extended int32 hashes, taken mod bucket.
   */
  private addWordNgrams(out: IntList): void {
    const hashes = this.wordHashes.values;
    const count = this.wordHashes.length;
    const n = this.wordNgrams;
    const bucket = this.bucket;
    for (let i = 0; i < count; i++) {
      let lo = hashes[i] >>> 0;
      let hi = hashes[i] < 0 ? 0xffffffff : 0;
      for (let j = i + 1; j < count && j < i + n; j++) {
        // (hi, lo) * M mod 2^64, with lo split in 16-bit halves so every product stays exact.
        const a = (lo & 0xffff) * NGRAM_MULTIPLIER;
        const b = (lo >>> 16) * NGRAM_MULTIPLIER;
        const low = a + (b % 65536) * 65536;
        const carry = Math.floor(low / TWO_32) + Math.floor(b / 65536);
        hi = (Math.imul(hi, NGRAM_MULTIPLIER) + carry) >>> 0;
        lo = low % TWO_32;
        const x = hashes[j];
        const sum = lo + (x >>> 0);
        lo = sum % TWO_32;
        hi = (hi + (x < 0 ? 0xffffffff : 0) + (sum >= TWO_32 ? 1 : 0)) >>> 0;
        let r = hi % bucket;
        r = (r * 65536 + (lo >>> 16)) % bucket;
        r = (r * 65536 + (lo & 0xffff)) % bucket;
        this.pushHash(out, r);
      }
    }
  }

  /** fastText's `pushHash`: a hashed row follows the words, through the prune map of a pruned model. */
  private pushHash(out: IntList, id: number): void {
    const pruneSize = this.data.pruneSize;
    if (pruneSize === 0) return;
    if (pruneSize > 0) {
      id = intTableGet(this.data.prune!, id);
      if (id < 0) return;
    }
    out.push(this.nwords + id);
  }
}

/** `(h >>> 0) % m` for m < 2^31 without `%` on a double (a slow fmod call): a float quotient, then one correction. */
function uint32Mod(h: number, m: number): number {
  const u = h >>> 0;
  const r = u - Math.floor(u / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

function isEos(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === 4 && bytes[start] === 0x3c && bytes[start + 1] === 0x2f && bytes[start + 2] === 0x73 && bytes[start + 3] === 0x3e;
}

function startsWithLabel(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < LABEL_BYTES.length) return false;
  for (let k = 0; k < LABEL_BYTES.length; k++) if (bytes[start + k] !== LABEL_BYTES[k]) return false;
  return true;
}
