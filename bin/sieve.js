#!/usr/bin/env node
// The CLI is the CommonJS bundle dist/cli/main.js (`npm install` builds it: the `prepare` script),
// compiled here with a V8 code cache, one per command, in dist/cli/.code-cache/: compiling the
// bundle and its functions cost ~90 ms of every `sieve run` (Node 20 caches no module's code; 22 has
// module.enableCompileCache). The cache is written when a command ends well without one the engine
// accepted (first run, another Node, a rebuilt bundle). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const args = process.argv.slice(2);

let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch (err) {
  if (err?.code !== 'ENOENT') throw err;
  console.error('sieve: the package is not built yet: run `npm run build` in its folder');
  process.exit(1);
}

if (args.includes('--debug')) {
  // Stack traces through the source map, which Node applies to required files, not to scripts.
  process.setSourceMapsEnabled(true);
  createRequire(bundle)(bundle);
} else {
  runCached();
}

/** Compiles and runs the bundle with its code cache, and writes one where it had none. */
function runCached() {
  // Help and version runs compile little of a command: they keep a cache of their own.
  const help = args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V');
  const command = `${args.find((a) => !a.startsWith('-')) ?? 'none'}${help ? '-help' : ''}`;
  const useCache = process.env.NODE_DISABLE_COMPILE_CACHE === undefined && /^[a-z-]+$/.test(command);
  // V8 checks a cache against the source's length only, so the file name holds the bundle's stamp.
  const { size, mtimeMs } = statSync(bundle);
  const cacheFile = join(dirname(bundle), '.code-cache', `${command}-${size}-${Math.floor(mtimeMs)}-${process.version}.bin`);
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code !== 0) return;
      // Written whole, then renamed: runs in parallel may race for it.
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        const partial = `${cacheFile}.${process.pid}`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // A package folder we may not write to runs without a cache.
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}
