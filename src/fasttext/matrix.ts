import type { DenseMatrixData, MatrixData, ProductQuantizerData, QuantMatrixData } from './model-data.js';

const f32 = Math.fround;
const KSUB = 256;

/** The two matrix operations fastText inference needs, in float32 and in fastText's order of operations. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** `x += row i` (fastText `addRowToVector`). */
  addRowTo(x: Float32Array, i: number): void;
  /** `row i · x`, summed left to right in float32 (fastText `dotRow`). */
  dotRow(x: Float32Array, i: number): number;
}

export function createMatrix(data: MatrixData): Matrix {
  return data.kind === 'dense' ? new DenseMatrix(data) : new QuantMatrix(data);
}

class DenseMatrix implements Matrix {
  readonly rows: number;
  readonly cols: number;
  private readonly chunkShift: number;
  private readonly rowMask: number;
  private readonly chunks: readonly Float32Array[];

  constructor(data: DenseMatrixData) {
    this.rows = data.rows;
    this.cols = data.cols;
    this.chunkShift = Math.log2(data.rowsPerChunk);
    this.rowMask = data.rowsPerChunk - 1;
    this.chunks = data.chunks;
  }

  addRowTo(x: Float32Array, i: number): void {
    const row = this.chunks[i >>> this.chunkShift];
    const off = (i & this.rowMask) * this.cols;
    const cols = this.cols;
    // A Float32Array store rounds the exact double sum of two floats: a float32 add. Unrolled by 4
    // (about 1.4× faster in V8; each element is still one independent add).
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      x[j] += row[off + j];
      x[j + 1] += row[off + j + 1];
      x[j + 2] += row[off + j + 2];
      x[j + 3] += row[off + j + 3];
    }
    for (; j < cols; j++) x[j] += row[off + j];
  }

  dotRow(x: Float32Array, i: number): number {
    const row = this.chunks[i >>> this.chunkShift];
    const off = (i & this.rowMask) * this.cols;
    let d = 0;
    for (let j = 0; j < this.cols; j++) d = f32(d + f32(row[off + j] * x[j]));
    return d;
  }
}

/** fastText's `QuantMatrix`: rows decoded from product-quantizer codes, scaled by a quantized norm if any. */
class QuantMatrix implements Matrix {
  readonly rows: number;
  readonly cols: number;
  private readonly codes: Uint8Array;
  private readonly pq: ProductQuantizerData;
  private readonly normCodes?: Uint8Array;
  private readonly normCentroids?: Float32Array;

  constructor(data: QuantMatrixData) {
    this.rows = data.rows;
    this.cols = data.cols;
    this.codes = data.codes;
    this.pq = data.pq;
    this.normCodes = data.normCodes;
    this.normCentroids = data.normPq?.centroids;
  }

  /** The row's norm: the norm quantizer has one sub-vector of one float, so its centroid `c` is `centroids[c]`. */
  private norm(i: number): number {
    return this.normCodes ? this.normCentroids![this.normCodes[i]] : 1;
  }

  addRowTo(x: Float32Array, i: number): void {
    const alpha = this.norm(i);
    const { nsubq, dsub, lastdsub, centroids } = this.pq;
    const code = i * nsubq;
    for (let m = 0; m < nsubq; m++) {
      const last = m === nsubq - 1;
      const c = centroidOffset(this.pq, m, this.codes[code + m]);
      const d = last ? lastdsub : dsub;
      const base = m * dsub;
      for (let n = 0; n < d; n++) x[base + n] += f32(alpha * centroids[c + n]);
    }
  }

  dotRow(x: Float32Array, i: number): number {
    const { nsubq, dsub, lastdsub, centroids } = this.pq;
    const code = i * nsubq;
    let res = 0;
    for (let m = 0; m < nsubq; m++) {
      const c = centroidOffset(this.pq, m, this.codes[code + m]);
      const d = m === nsubq - 1 ? lastdsub : dsub;
      const base = m * dsub;
      for (let n = 0; n < d; n++) res = f32(res + f32(x[base + n] * centroids[c + n]));
    }
    return f32(res * this.norm(i));
  }
}

/** fastText `get_centroids(m, i)`: the last sub-quantizer's centroids are `lastdsub` wide. */
function centroidOffset(pq: ProductQuantizerData, m: number, i: number): number {
  return m === pq.nsubq - 1 ? m * KSUB * pq.dsub + i * pq.lastdsub : (m * KSUB + i) * pq.dsub;
}
