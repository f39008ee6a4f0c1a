import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { DenseMatrixData, FastTextArgs, FastTextModelData } from '../../src/fasttext/index.js';

const LOSS_CODES = { hs: 1, ns: 2, softmax: 3, ova: 4 } as const;
const MODEL_CODES = { cbow: 1, sg: 2, sup: 3 } as const;

/**
 * Writes a dense fastText model in fastText's `.bin` format with its vectors widened to `dim`
 * by zeros. The extra dimensions add exact zeros to every float32 sum, so the wide model predicts
 * exactly what the original does while its file can be made as large as a test needs (> 2 GiB).
 * The zeros are left as holes of a sparse file, so it costs little disk and time to write.
 * Word counts are not kept by the loader and are written as 1 (inference does not read them).
 * `args` overrides stored arguments (e.g. no subwords), which changes what the model predicts.
 */
export function writePaddedModel(model: FastTextModelData, path: string, dim: number, args: Partial<Pick<FastTextArgs, 'minn' | 'maxn' | 'wordNgrams'>> = {}): number {
  if (model.input.kind !== 'dense' || model.output.kind !== 'dense') throw new TypeError('only dense models can be widened');
  if (dim < model.args.dim) throw new TypeError(`dim ${dim} < ${model.args.dim}`);
  const fd = openSync(path, 'w');
  let written = 0;
  const write = (bytes: Uint8Array, at = written) => {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
    written = Math.max(written, at + bytes.length);
  };
  try {
    const a = { ...model.args, ...args };
    const header = Buffer.alloc(8 + 12 * 4 + 8);
    header.writeInt32LE(793712314, 0);
    header.writeInt32LE(model.version, 4);
    [dim, a.ws, a.epoch, a.minCount, a.neg, a.wordNgrams, LOSS_CODES[a.loss], MODEL_CODES[a.model], a.bucket, a.minn, a.maxn, a.lrUpdateRate].forEach((v, i) => header.writeInt32LE(v, 8 + 4 * i));
    header.writeDoubleLE(a.t, 8 + 48);
    write(header);
    write(dictionaryBytes(model));
    write(Uint8Array.of(0));
    writeMatrix(model.input, dim, write, () => written);
    write(Uint8Array.of(0));
    writeMatrix(model.output, dim, write, () => written);
    ftruncateSync(fd, written);
  } finally {
    closeSync(fd);
  }
  return written;
}

function dictionaryBytes(model: FastTextModelData): Buffer {
  const d = model.dictionary;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(28);
  head.writeInt32LE(d.size, 0);
  head.writeInt32LE(d.nwords, 4);
  head.writeInt32LE(d.nlabels, 8);
  head.writeBigInt64LE(0n, 12);
  head.writeBigInt64LE(BigInt(d.pruneSize), 20);
  parts.push(head);
  for (let i = 0; i < d.size; i++) {
    const entry = Buffer.alloc(d.starts[i + 1] - d.starts[i] + 1 + 9);
    entry.set(d.bytes.subarray(d.starts[i], d.starts[i + 1]));
    const at = d.starts[i + 1] - d.starts[i] + 1;
    entry.writeBigInt64LE(BigInt(d.types[i] === 1 ? d.labelCounts[i - d.nwords] : 1), at);
    entry.writeInt8(d.types[i], at + 8);
    parts.push(entry);
  }
  return Buffer.concat(parts);
}

/** Each row's values at its place in the widened layout; the zeros after them are never written. */
function writeMatrix(m: DenseMatrixData, dim: number, write: (bytes: Uint8Array, at?: number) => void, start: () => number): void {
  const size = Buffer.alloc(16);
  size.writeBigInt64LE(BigInt(m.rows), 0);
  size.writeBigInt64LE(BigInt(dim), 8);
  write(size);
  const first = start();
  for (let i = 0; i < m.rows; i++) {
    const q = Math.floor(i / m.rowsPerChunk);
    const off = (i - q * m.rowsPerChunk) * m.cols;
    const row = m.chunks[q].slice(off, off + m.cols);
    write(new Uint8Array(row.buffer), first + i * dim * 4);
  }
  write(new Uint8Array(0), first + m.rows * dim * 4);
}
