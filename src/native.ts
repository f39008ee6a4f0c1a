/**
 * The one place that loads the native hashing addon and picks a backend (STYLE §14).
 *
 * Preference: `cuda` → `cpu` → `js`. `SIEVE_BACKEND=js|cpu|cuda` forces one, and asking for a
 * forced backend that is not available is an error (never a silent fallback). Loading is lazy
 * (on first use) and happens once; every load error is kept and reported by `backendInfo()`, which
 * is what `sieve doctor` prints.
 *
 * - `cpu`: `native/build/Release/sieve_native.node`, built at install time by
 *   `scripts/build-native.mjs`.
 * - `cuda`: `native/build/libsieve_cuda.so`, dlopened by the addon only after it found a CUDA
 *   driver and a device; it runs MinHash on the GPU, the other kernels run on `cpu`.
 * - `js`: always there.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SieveError } from './errors.js';
import { PACKAGE_ROOT } from './package-root.js';
import { DSIR_BUCKETS } from './hash/dsir.js';
import { createJsBackend } from './hash/js-backend.js';
import { BACKENDS } from './hash/types.js';
import type {
  BackendName,
  ByteBatch,
  DsirOptions,
  HashBackend,
  KernelName,
  KernelOptions,
  MinhashBatch,
  MinhashSignatures,
  SparseCounts,
  TokenBatch,
  Utf16Batch,
  XxhashOptions,
} from './hash/types.js';
import { checkBuckets, checkByteBatch, checkThreads, checkTokenBatch, checkUtf16Batch, seedHalves } from './hash/validate.js';

/** The addon's exports (`native/src/module.cc`). */
interface NativeAddon {
  sha1(bytes: Uint8Array, offsets: Uint32Array, threads: number, async: false): Uint8Array;
  sha1(bytes: Uint8Array, offsets: Uint32Array, threads: number, async: true): Promise<Uint8Array>;
  minhash(bytes: Uint8Array, offsets: Uint32Array, threads: number, async: false, cuda: boolean): NativeSignatures;
  minhash(bytes: Uint8Array, offsets: Uint32Array, threads: number, async: true, cuda: boolean): Promise<NativeSignatures>;
  minhash16(units: Uint16Array, offsets: Uint32Array, threads: number, async: false, cuda: boolean): NativeSignatures;
  minhash16(units: Uint16Array, offsets: Uint32Array, threads: number, async: true, cuda: boolean): Promise<NativeSignatures>;
  dsir(units: Uint16Array, unitOffsets: Uint32Array, spans: Uint32Array, tokenOffsets: Uint32Array, buckets: number, threads: number, async: false): SparseCounts;
  dsir(units: Uint16Array, unitOffsets: Uint32Array, spans: Uint32Array, tokenOffsets: Uint32Array, buckets: number, threads: number, async: true): Promise<SparseCounts>;
  xxhash64(bytes: Uint8Array, offsets: Uint32Array, seedHi: number, seedLo: number, threads: number, async: false): BigUint64Array;
  xxhash64(bytes: Uint8Array, offsets: Uint32Array, seedHi: number, seedLo: number, threads: number, async: true): Promise<BigUint64Array>;
  repetition: RepetitionSums;
  info(): AddonInfo;
  allowIsa(names: readonly string[]): AddonInfo;
  permutations(): BigUint64Array;
  cudaLoad(libraryPath: string): CudaStatus;
  scanText?: NativeTextScan;
  vocabulary?: NativeVocabulary;
  utf8String?: NativeUtf8String;
  decodeRuns?: NativeRuns['decodeRuns'];
  gatherRuns?: NativeRuns['gatherRuns'];
  runZeros?: NativeRuns['runZeros'];
}

/**
 * The addon's one pass over a raw text (`native/src/text/scan.hpp`): `src/text/scan.ts` passes its
 * classification tables and scratch arrays, and gets the normalized text or a status number.
 */
export type NativeTextScan = (
  text: string,
  unitBoth: Uint32Array,
  expansionAt: Uint32Array,
  expansionInfo: Uint32Array,
  expansionUnits: Uint16Array,
  astralBlock: Uint32Array,
  astralRecords: Uint32Array,
  spans: Uint32Array,
  flags: Uint8Array,
  lines: Uint32Array,
  wordStarts: Uint32Array,
  result: Uint32Array,
) => string | number;

/**
 * The addon's vocabulary of a normalized text (`native/src/text/vocabulary.hpp`): writes the ids and
 * the per-id arrays for `src/text/text-view.ts` and returns the number of ids.
 */
export type NativeVocabulary = (
  text: string,
  wordStarts: Uint32Array,
  surrogates: boolean,
  ids: Uint32Array,
  firstStarts: Uint32Array,
  unitLengths: Uint32Array,
  counts: Uint32Array,
  lengths: Uint32Array,
  /** Tests only: ANDed into every word's hash (0 makes all words collide). */
  hashMask?: number,
) => number;

/**
 * The addon's UTF-8 decoder (`native/src/text/utf8.hpp`): the string of `bytes[start, end)`, which the
 * caller has checked is UTF-8, or null if it is not after all.
 */
export type NativeUtf8String = (bytes: Uint8Array, start: number, end: number) => string | null;

/**
 * The addon's decoders of Parquet's run-length hybrid encoding (`native/src/parquet/runs.hpp`), which
 * `src/io/parquet-runs.ts` calls per page: each returns 0 (`runZeros`: the new row) or a negative status.
 */
export interface NativeRuns {
  decodeRuns(data: Uint8Array, from: number, to: number, width: number, count: number, out: Uint32Array): number;
  gatherRuns(data: Uint8Array, from: number, to: number, width: number, count: number, dictionary: Float64Array, out: Float64Array): number;
  runZeros(data: Uint8Array, from: number, to: number, width: number, count: number, offsets: Int32Array, row: number, base: number): number;
}

/** The addon's text kernels, which `src/text` and `src/io` call per document in place of JS and V8's own. */
export interface NativeText {
  readonly scanText: NativeTextScan;
  readonly vocabulary: NativeVocabulary;
  readonly utf8String: NativeUtf8String;
}

/**
 * The integer work of the nine repetition signals for one document (`native/src/repetition`):
 * writes into `out` the total word chars, then the numerators of the nine scores, all exact integers.
 */
export type RepetitionSums = (ids: Uint32Array, counts: Uint32Array, lengths: Uint32Array, out: Float64Array) => void;

interface NativeSignatures {
  readonly signatures: Uint32Array;
  readonly shingles: Uint32Array;
}

interface AddonInfo {
  readonly features: readonly string[];
  /** The code path of each hashing kernel, and of the text scan (`scanText`, absent from older builds). */
  readonly paths: Readonly<Record<KernelName, string>> & { readonly scanText?: string };
  readonly compiler: string;
  readonly arch: string;
  readonly cudaAbi: number;
}

interface CudaStatus {
  readonly available: boolean;
  readonly reason: string;
  readonly device: string;
  readonly devices: number;
}

/** One backend as `backendInfo()` reports it. */
export interface BackendStatus {
  readonly name: BackendName;
  readonly available: boolean;
  /** Why it is not available. */
  readonly reason?: string;
  /** What it runs on, e.g. the GPU's name or the CPU paths. */
  readonly detail?: string;
}

/** Everything `sieve doctor` prints about hashing. */
export interface BackendInfo {
  /** The backend `getBackend()` returns; null when `SIEVE_BACKEND` forces one that is unavailable. */
  readonly chosen: BackendName | null;
  /** `SIEVE_BACKEND`, when set. */
  readonly forced?: string;
  /** Why the forced backend cannot be used. */
  readonly error?: string;
  /** Preference order of the automatic choice. */
  readonly order: readonly BackendName[];
  readonly backends: readonly BackendStatus[];
  /** CPU features found (cpuid through the addon, else `/proc/cpuinfo`), e.g. `sha-ni`, `avx2`. */
  readonly cpuFeatures: readonly string[];
  /** Where the CPU feature list came from. */
  readonly cpuFeaturesSource: 'cpuid' | '/proc/cpuinfo' | 'none';
  /** Code path per kernel of the chosen backend, e.g. `minhash: sha-ni+avx512`. */
  readonly paths: Readonly<Record<string, string>>;
  /** Why each unavailable backend failed to load, verbatim. */
  readonly loadErrors: Readonly<Partial<Record<BackendName, string>>>;
  readonly addonPath: string;
  readonly cudaLibraryPath: string;
  /** `native/build/build-info.json`: what the install-time build did, if it ran. */
  readonly build?: unknown;
  readonly compiler?: string;
  readonly platform: string;
}

/** Batches with fewer bytes than this run MinHash on the CPU even on the `cuda` backend (transfer and launch cost). */
export const CUDA_MIN_BATCH_BYTES = 1 << 20;

const ROOT = PACKAGE_ROOT;
const ADDON_PATH = join(ROOT, 'native', 'build', 'Release', 'sieve_native.node');
const CUDA_LIBRARY_PATH = join(ROOT, 'native', 'build', 'libsieve_cuda.so');
const BUILD_INFO_PATH = join(ROOT, 'native', 'build', 'build-info.json');

interface LoadState {
  readonly addon?: NativeAddon;
  readonly addonInfo?: AddonInfo;
  readonly cuda?: CudaStatus;
  readonly errors: Partial<Record<BackendName, string>>;
  readonly backends: Partial<Record<BackendName, HashBackend>>;
}

let state: LoadState | undefined;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readBuildInfo(): unknown {
  if (!existsSync(BUILD_INFO_PATH)) return undefined;
  try {
    return JSON.parse(readFileSync(BUILD_INFO_PATH, 'utf8')) as unknown;
  } catch (err) {
    return { unreadable: describe(err) };
  }
}

/** The build's own explanation of a missing addon, when build-info.json has one. */
function buildReason(): string | undefined {
  const info = readBuildInfo() as { cpu?: { ok?: boolean; reason?: string } } | undefined;
  return info?.cpu && info.cpu.ok === false && info.cpu.reason ? info.cpu.reason : undefined;
}

function load(): LoadState {
  if (state) return state;
  const errors: Partial<Record<BackendName, string>> = {};
  const backends: Partial<Record<BackendName, HashBackend>> = { js: createJsBackend() };
  let addon: NativeAddon | undefined;
  let addonInfo: AddonInfo | undefined;
  let cuda: CudaStatus | undefined;
  if (!existsSync(ADDON_PATH)) {
    const why = buildReason();
    errors.cpu = `the addon is not built (${ADDON_PATH} missing)${why ? `: ${why}` : '; run `node scripts/build-native.mjs`'}`;
  } else {
    try {
      addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
      addonInfo = addon.info();
      backends.cpu = createNativeBackend(addon, 'cpu', addonInfo);
    } catch (err) {
      // Recorded, not swallowed: backendInfo() and `sieve doctor` report it.
      errors.cpu = `the addon failed to load: ${describe(err)}`;
      addon = undefined;
    }
  }
  if (!addon) {
    errors.cuda = 'needs the cpu addon, which is not available';
  } else if (!existsSync(CUDA_LIBRARY_PATH)) {
    const info = readBuildInfo() as { cuda?: { reason?: string } } | undefined;
    errors.cuda = `the CUDA library is not built (${CUDA_LIBRARY_PATH} missing)${info?.cuda?.reason ? `: ${info.cuda.reason.split('\n')[0]}` : ''}`;
  } else {
    cuda = addon.cudaLoad(CUDA_LIBRARY_PATH);
    if (cuda.available && addonInfo) backends.cuda = createNativeBackend(addon, 'cuda', addonInfo, cuda.device);
    else errors.cuda = cuda.reason;
  }
  state = { addon, addonInfo, cuda, errors, backends };
  return state;
}

/** The backends usable on this machine, in `BACKENDS` order (`js` first). */
export function availableBackends(): BackendName[] {
  const { backends } = load();
  return BACKENDS.filter((b) => backends[b] !== undefined);
}

/** The backends not usable here, each with the reason (tests print these as skips). */
export function unavailableBackends(): { name: BackendName; reason: string }[] {
  const { backends, errors } = load();
  return BACKENDS.filter((b) => backends[b] === undefined).map((name) => ({ name, reason: errors[name] ?? 'unknown' }));
}

const PREFERENCE: readonly BackendName[] = ['cuda', 'cpu', 'js'];

function isBackendName(value: string): value is BackendName {
  return (BACKENDS as readonly string[]).includes(value);
}

/** Resolves the automatic or forced choice; `error` is set when the forced one is unusable. */
type Choice = { chosen: BackendName | null; forced?: string; error?: SieveError };

let choice: { readonly forced: string | undefined; readonly value: Choice } | undefined;

/** The backend `SIEVE_BACKEND` forces or the loader prefers, decided again only when the variable changes (kernels ask per document). */
function choose(): Choice {
  const forced = process.env.SIEVE_BACKEND;
  if (choice === undefined || choice.forced !== forced) choice = { forced, value: decide(forced) };
  return choice.value;
}

function decide(forced: string | undefined): Choice {
  const { backends, errors } = load();
  if (forced !== undefined && forced !== '') {
    if (!isBackendName(forced)) {
      return { chosen: null, forced, error: new SieveError('E_USAGE', `[hash] SIEVE_BACKEND=${forced} is not a backend: use one of ${BACKENDS.join(', ')}`) };
    }
    if (!backends[forced]) {
      return {
        chosen: null,
        forced,
        error: new SieveError('E_MISSING_DEP', `[hash] SIEVE_BACKEND=${forced} but the ${forced} backend is not available: ${errors[forced] ?? 'unknown reason'}`, {
          hint: 'unset SIEVE_BACKEND to fall back automatically, or run `sieve doctor` for details',
        }),
      };
    }
    return { chosen: forced, forced };
  }
  const chosen = PREFERENCE.find((b) => backends[b] !== undefined) ?? 'js';
  return { chosen };
}

/**
 * A hashing backend: `name` if given (an error if it is not available), else the forced
 * (`SIEVE_BACKEND`) or preferred one.
 */
export function getBackend(name?: BackendName): HashBackend {
  const { backends, errors } = load();
  if (name !== undefined) {
    const backend = backends[name];
    if (!backend) throw new SieveError('E_MISSING_DEP', `[hash] the ${name} backend is not available: ${errors[name] ?? 'unknown reason'}`);
    return backend;
  }
  const { chosen, error } = choose();
  if (error || chosen === null) throw error ?? new SieveError('E_MISSING_DEP', '[hash] no backend');
  return backends[chosen] as HashBackend;
}

/**
 * The addon's repetition kernel, unless the addon is missing or the backend is `js`; like the text
 * kernels (`nativeText`), it gives the JS results, so an unavailable forced backend does not stop it.
 */
export function nativeRepetitionSums(): RepetitionSums | undefined {
  return choose().chosen === 'js' ? undefined : load().addon?.repetition;
}

/** Linux CPU flags, when the addon (and its cpuid) is missing. */
function procCpuFeatures(): string[] {
  try {
    if (!existsSync('/proc/cpuinfo')) return [];
    const flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/) ?? [];
    const names: Record<string, string> = { ssse3: 'ssse3', sse4_1: 'sse4.1', sha_ni: 'sha-ni', avx2: 'avx2', avx512f: 'avx512f' };
    return flags.filter((f) => f in names).map((f) => names[f]);
  } catch (err) {
    return [`unreadable: ${describe(err)}`];
  }
}

/** Everything `sieve doctor` needs: backends, the choice, CPU features and load errors. Never throws. */
export function backendInfo(): BackendInfo {
  const s = load();
  const { chosen, forced, error } = choose();
  const backends: BackendStatus[] = BACKENDS.map((name) => {
    const backend = s.backends[name];
    if (!backend) return { name, available: false, reason: s.errors[name] };
    const detail =
      name === 'cuda'
        ? `${s.cuda?.device ?? 'GPU'} (${s.cuda?.devices ?? 0} device(s)); MinHash on the GPU, other kernels on cpu`
        : name === 'cpu'
          ? Object.entries(backend.capabilities.paths)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')
          : 'pure TypeScript';
    return { name, available: true, detail };
  });
  const cpuFeatures = s.addonInfo ? [...s.addonInfo.features] : procCpuFeatures();
  return {
    chosen,
    ...(forced !== undefined ? { forced } : {}),
    ...(error ? { error: error.message } : {}),
    order: PREFERENCE,
    backends,
    cpuFeatures,
    cpuFeaturesSource: s.addonInfo ? 'cpuid' : cpuFeatures.length > 0 ? '/proc/cpuinfo' : 'none',
    paths: chosen ? { ...(s.backends[chosen] as HashBackend).capabilities.paths } : {},
    loadErrors: { ...s.errors },
    addonPath: ADDON_PATH,
    cudaLibraryPath: CUDA_LIBRARY_PATH,
    build: readBuildInfo(),
    ...(s.addonInfo ? { compiler: s.addonInfo.compiler } : {}),
    platform: `${process.platform}-${process.arch}, node ${process.versions.node}`,
  };
}

/**
 * Test hook: restricts the addon's SIMD paths to the named CPU features (`sha-ni`, `avx2`,
 * `avx512f`, `avx512bw`, `avx512vbmi2`; `[]` = portable code), so one machine can check every path. Returns the paths now in
 * use, or null without the addon. Pass `undefined` to restore everything cpuid found.
 */
export function setNativeIsa(names: readonly string[] | undefined): Readonly<Record<string, string>> | null {
  const s = load();
  if (!s.addon || !s.addonInfo) return null;
  return s.addon.allowIsa(names ?? s.addonInfo.features).paths;
}

/**
 * The addon's text kernels, unless the addon is missing or the backend is `js` (forced by
 * `SIEVE_BACKEND=js`), in which case `src/text` runs its JS loops. Both give the same results, so a
 * forced backend that is unavailable does not stop them: the hashing kernels report that.
 */
export function nativeText(): NativeText | null {
  const addon = load().addon;
  // An addon built from older sources has no text kernels.
  if (typeof addon?.scanText !== 'function' || typeof addon.vocabulary !== 'function' || typeof addon.utf8String !== 'function' || choose().chosen === 'js') {
    return null;
  }
  return { scanText: addon.scanText, vocabulary: addon.vocabulary, utf8String: addon.utf8String };
}

/** The addon's Parquet run decoders, unless the addon lacks them or the backend is `js` (as {@link nativeText}). */
export function nativeRuns(): NativeRuns | null {
  const addon = load().addon;
  if (typeof addon?.decodeRuns !== 'function' || typeof addon.gatherRuns !== 'function' || typeof addon.runZeros !== 'function' || choose().chosen === 'js') {
    return null;
  }
  return { decodeRuns: addon.decodeRuns, gatherRuns: addon.gatherRuns, runZeros: addon.runZeros };
}

/** The permutation table compiled into the addon (a then b), or null without it. */
export function nativePermutations(): BigUint64Array | null {
  return load().addon?.permutations() ?? null;
}

const defaultAsyncThreads = (): number => Math.max(1, availableParallelism());

function threadsOf(kernel: string, options: KernelOptions | undefined, async: boolean): number {
  const threads = options?.threads ?? (async ? defaultAsyncThreads() : 1);
  checkThreads(kernel, threads);
  return threads;
}

/** A native backend over the addon: `cpu`, or `cuda` (MinHash on the GPU, the rest on the CPU). */
function createNativeBackend(addon: NativeAddon, name: 'cpu' | 'cuda', info: AddonInfo, device?: string): HashBackend {
  const onGpu = (size: number): boolean => name === 'cuda' && size >= CUDA_MIN_BATCH_BYTES;
  const wrap = (r: NativeSignatures, docs: number): MinhashSignatures => ({ docs, signatures: r.signatures, shingles: r.shingles });
  const dsirArgs = (batch: TokenBatch, options: DsirOptions | undefined): number => {
    checkTokenBatch('dsirBuckets', batch);
    const buckets = options?.buckets ?? DSIR_BUCKETS;
    checkBuckets('dsirBuckets', buckets);
    return buckets;
  };
  const paths: Record<string, string> = { ...info.paths };
  if (name === 'cuda') paths.minhash = `cuda (${device ?? 'GPU'}) for batches ≥ ${CUDA_MIN_BATCH_BYTES} bytes, else ${info.paths.minhash}`;
  return {
    name,
    capabilities: {
      kernels: { sha1: 'cpu', minhash: name, dsir: 'cpu', xxhash64: 'cpu' },
      offThread: true,
      multiThreaded: true,
      paths,
    },
    sha1Sync(batch: ByteBatch, options?: KernelOptions): Uint8Array {
      checkByteBatch('sha1', batch);
      return addon.sha1(batch.bytes, batch.offsets, threadsOf('sha1', options, false), false);
    },
    async sha1(batch: ByteBatch, options?: KernelOptions): Promise<Uint8Array> {
      checkByteBatch('sha1', batch);
      return addon.sha1(batch.bytes, batch.offsets, threadsOf('sha1', options, true), true);
    },
    minhashSignaturesSync(batch: MinhashBatch, options?: KernelOptions): MinhashSignatures {
      checkByteBatch('minhashSignatures', batch);
      const r = addon.minhash(batch.bytes, batch.offsets, threadsOf('minhashSignatures', options, false), false, onGpu(batch.bytes.length));
      return wrap(r, batch.offsets.length - 1);
    },
    async minhashSignatures(batch: MinhashBatch, options?: KernelOptions): Promise<MinhashSignatures> {
      checkByteBatch('minhashSignatures', batch);
      const r = await addon.minhash(batch.bytes, batch.offsets, threadsOf('minhashSignatures', options, true), true, onGpu(batch.bytes.length));
      return wrap(r, batch.offsets.length - 1);
    },
    minhashSignaturesUtf16Sync(batch: Utf16Batch, options?: KernelOptions): MinhashSignatures {
      checkUtf16Batch('minhashSignatures', batch);
      const r = addon.minhash16(batch.units, batch.offsets, threadsOf('minhashSignatures', options, false), false, onGpu(batch.units.length));
      return wrap(r, batch.offsets.length - 1);
    },
    async minhashSignaturesUtf16(batch: Utf16Batch, options?: KernelOptions): Promise<MinhashSignatures> {
      checkUtf16Batch('minhashSignatures', batch);
      const r = await addon.minhash16(batch.units, batch.offsets, threadsOf('minhashSignatures', options, true), true, onGpu(batch.units.length));
      return wrap(r, batch.offsets.length - 1);
    },
    dsirBucketsSync(batch: TokenBatch, options?: DsirOptions): SparseCounts {
      const buckets = dsirArgs(batch, options);
      return addon.dsir(batch.units, batch.unitOffsets, batch.spans, batch.tokenOffsets, buckets, threadsOf('dsirBuckets', options, false), false);
    },
    async dsirBuckets(batch: TokenBatch, options?: DsirOptions): Promise<SparseCounts> {
      const buckets = dsirArgs(batch, options);
      return addon.dsir(batch.units, batch.unitOffsets, batch.spans, batch.tokenOffsets, buckets, threadsOf('dsirBuckets', options, true), true);
    },
    xxhash64Sync(batch: ByteBatch, options?: XxhashOptions): BigUint64Array {
      checkByteBatch('xxhash64', batch);
      const [hi, lo] = seedHalves('xxhash64', options?.seed ?? 0n);
      return addon.xxhash64(batch.bytes, batch.offsets, hi >>> 0, lo >>> 0, threadsOf('xxhash64', options, false), false);
    },
    async xxhash64(batch: ByteBatch, options?: XxhashOptions): Promise<BigUint64Array> {
      checkByteBatch('xxhash64', batch);
      const [hi, lo] = seedHalves('xxhash64', options?.seed ?? 0n);
      return addon.xxhash64(batch.bytes, batch.offsets, hi >>> 0, lo >>> 0, threadsOf('xxhash64', options, true), true);
    },
  };
}
