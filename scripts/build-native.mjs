#!/usr/bin/env node
// Builds the native hashing backends from the sources in native/ (run by `npm install`):
//   - cpu:  native/build/Release/sieve_native.node, with npm's bundled node-gyp and Node's local
//           headers (never downloaded);
//   - cuda: native/build/libsieve_cuda.so, only when nvcc is found.
// A failed or impossible build is a warning, not an error: the library then uses the `js` backend,
// and `npm install` still succeeds. `--strict` makes any failure exit 1 (CI, bench/gpu.sh).
// The outcome is written to native/build/build-info.json, which `backendInfo()` reports.
//
// Environment: SIEVE_SKIP_NATIVE=1 skips the build; SIEVE_SKIP_CUDA=1 skips the CUDA library;
// SIEVE_CUDA_ARCHS="80,90" picks the GPU architectures (default 75,80,86,89,90 + PTX for 90);
// NVCC=/path/to/nvcc; CXX is honoured by node-gyp.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = join(ROOT, 'native');
const BUILD = join(NATIVE, 'build');
const strict = process.argv.includes('--strict');
const verbose = process.argv.includes('--verbose') || process.env.SIEVE_BUILD_VERBOSE === '1';

function log(message) {
  console.log(`[sieve] native: ${message}`);
}

function warn(message) {
  console.warn(`[sieve] native: WARNING: ${message}`);
}

/** Runs a command; returns { ok, output } with stdout and stderr together. */
function run(command, args, options = {}) {
  if (verbose) log(`$ ${[command, ...args].join(' ')}`);
  const r = spawnSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  if (verbose && output) process.stdout.write(output);
  return { ok: r.status === 0, output };
}

/** The last lines of a tool's output, without node-gyp's "gyp info" chatter. */
function tail(text, lines = 25) {
  return text
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('gyp info'))
    .slice(-lines)
    .join('\n');
}

/** The first line of a tool's output that reports an error, for a one-line reason. */
function firstError(text) {
  const lines = text.split('\n').filter((l) => !l.startsWith('gyp info'));
  return (lines.find((l) => /error|not found|No such file/i.test(l)) ?? lines.filter(Boolean).pop() ?? 'no output').trim();
}

/** npm's bundled node-gyp: the one npm points at when it runs us, else the copy beside node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

/**
 * Node's headers already on this machine: npm's `nodedir` setting, the headers installed beside
 * the node binary (`<prefix>/include/node`), or node-gyp's cache. Undefined when there are none:
 * we then do not build rather than let node-gyp download them.
 */
function findHeaders() {
  const fromNpm = process.env.npm_config_nodedir;
  if (fromNpm && existsSync(join(fromNpm, 'include', 'node', 'node_api.h'))) return { nodedir: fromNpm };
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi'))) {
    return { nodedir: prefix };
  }
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'node-gyp', process.versions.node);
  if (existsSync(join(cache, 'include', 'node', 'node_api.h'))) return { devdir: dirname(cache) };
  return undefined;
}

function findNvcc() {
  if (process.env.NVCC) return existsSync(process.env.NVCC) ? process.env.NVCC : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  if (process.env.CUDA_HOME) dirs.push(join(process.env.CUDA_HOME, 'bin'));
  if (process.env.CUDA_PATH) dirs.push(join(process.env.CUDA_PATH, 'bin'));
  dirs.push('/usr/local/cuda/bin');
  for (const d of dirs) {
    const p = join(d, 'nvcc');
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** nvcc flags for the CUDA library; exported shape kept simple so bench/gpu.sh and tests agree. */
function cudaArchFlags() {
  const archs = (process.env.SIEVE_CUDA_ARCHS ?? '75,80,86,89,90').split(',').map((a) => a.trim()).filter(Boolean);
  const flags = [];
  for (const a of archs) flags.push('-gencode', `arch=compute_${a},code=sm_${a}`);
  const newest = archs[archs.length - 1];
  // PTX of the newest architecture lets later GPUs compile the kernels at load time.
  flags.push('-gencode', `arch=compute_${newest},code=compute_${newest}`);
  return flags;
}

const info = { node: process.versions.node, napi: process.versions.napi, time: new Date().toISOString(), cpu: {}, cuda: {} };

function finish(code) {
  try {
    mkdirSync(BUILD, { recursive: true });
    writeFileSync(join(BUILD, 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);
  } catch (err) {
    warn(`could not write build-info.json: ${err.message}`);
  }
  process.exit(code);
}

function buildCpu() {
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) return { ok: false, reason: "npm's bundled node-gyp was not found (looked beside the node binary)" };
  const headers = findHeaders();
  if (!headers) {
    return {
      ok: false,
      reason: `Node ${process.versions.node} headers are not on this machine (npm config nodedir, <prefix>/include/node, node-gyp cache); not downloading them`,
    };
  }
  const args = [nodeGyp, 'rebuild', '--directory', NATIVE, '--jobs', 'max'];
  if (headers.nodedir) args.push(`--nodedir=${headers.nodedir}`);
  if (headers.devdir) args.push(`--devdir=${headers.devdir}`);
  const r = run(process.execPath, args);
  const addon = join(BUILD, 'Release', 'sieve_native.node');
  if (!r.ok || !existsSync(addon)) return { ok: false, reason: `node-gyp failed: ${firstError(r.output)}`, log: tail(r.output) };
  return { ok: true, path: addon, nodeGyp, ...headers };
}

function buildCuda() {
  if (process.env.SIEVE_SKIP_CUDA === '1') return { ok: false, reason: 'skipped (SIEVE_SKIP_CUDA=1)' };
  const nvcc = findNvcc();
  if (!nvcc) return { ok: false, reason: 'nvcc not found (PATH, CUDA_HOME, /usr/local/cuda): the CUDA backend is not built' };
  const sources = readdirSync(join(NATIVE, 'cuda'))
    .filter((f) => f.endsWith('.cu'))
    .map((f) => join(NATIVE, 'cuda', f));
  const out = join(BUILD, 'libsieve_cuda.so');
  const args = [
    '-O3',
    '-std=c++17',
    '-shared',
    '-cudart',
    'static',
    '-Xcompiler',
    '-fPIC,-fvisibility=hidden,-Wall,-Wextra',
    '-Werror',
    'all-warnings',
    ...cudaArchFlags(),
    '-o',
    out,
    ...sources,
  ];
  const r = run(nvcc, args);
  if (!r.ok || !existsSync(out)) return { ok: false, reason: `nvcc failed: ${firstError(r.output)}`, log: tail(r.output), nvcc };
  return { ok: true, path: out, nvcc };
}

if (process.env.SIEVE_SKIP_NATIVE === '1') {
  log('skipped (SIEVE_SKIP_NATIVE=1); the library will use the js backend');
  info.cpu = { ok: false, reason: 'skipped (SIEVE_SKIP_NATIVE=1)' };
  finish(0);
}

log('building the cpu backend (node-gyp) …');
const cpu = buildCpu();
info.cpu = cpu;
if (!cpu.ok) {
  warn(`the cpu backend was not built, so the library will use the slower js backend.\n${cpu.reason}${cpu.log ? `\n${cpu.log}` : ''}`);
  info.cuda = { ok: false, reason: 'not attempted: the cpu addon, which loads it, was not built' };
  finish(strict ? 1 : 0);
}
log(`cpu backend built: ${cpu.path}`);

const cuda = buildCuda();
info.cuda = cuda;
if (cuda.ok) log(`cuda backend built: ${cuda.path} (loaded only where a CUDA device is present)`);
else if (cuda.nvcc) warn(`the cuda backend was not built.\n${cuda.reason}${cuda.log ? `\n${cuda.log}` : ''}`);
else log(cuda.reason);
finish(strict && !cuda.ok && cuda.nvcc ? 1 : 0);
