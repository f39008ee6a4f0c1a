#!/usr/bin/env bash
# The CUDA backend on a machine with an NVIDIA GPU: builds it, checks it bit for bit against the
# cpu and js backends and the reference on every corpus document, then times MinHash on cpu and
# cuda. Run from anywhere: `bash bench/gpu.sh`. Needs nvcc (CUDA 12 or 13) and the NVIDIA driver.
# Takes a few minutes; set SIEVE_CUDA_ARCHS (e.g. 90 for H100/H200) to build for one GPU only.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== GPU"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv
else
  echo "nvidia-smi not found"
fi

echo "== build (strict: a failed nvcc build fails this script)"
node scripts/build-native.mjs --strict

echo "== backends"
node --import tsx --input-type=module -e "
import { backendInfo } from './src/native.js';
const info = backendInfo();
for (const b of info.backends) console.log(b.name.padEnd(5), b.available ? 'available: ' + b.detail : 'UNAVAILABLE: ' + b.reason);
if (!info.backends.find((b) => b.name === 'cuda')?.available) process.exit(1);
"

echo "== bit-equality: cuda vs the reference (3 corpora), vs js on random input (1 MiB batches and more)"
node --import tsx --test test/hash/parity.test.ts test/hash/equivalence.test.ts test/hash/vectors.test.ts

echo "== timing: web corpus, then the corpus 8 times over in one batch"
node --import tsx bench/hash.ts --runs 5 --backends cpu,cuda
node --import tsx bench/hash.ts --runs 3 --repeat 8 --backends cpu,cuda
