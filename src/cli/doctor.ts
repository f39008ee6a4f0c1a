import { Command } from 'commander';
import { zstdLoadError } from '../io/byte-source.js';
import { backendInfo } from '../native.js';
import { PACKAGE_VERSION } from '../version.js';

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('show the hashing backends (js, cpu, cuda), CPU features found, and why a backend or codec is unavailable')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const info = backendInfo();
      if (opts.json) {
        process.stdout.write(JSON.stringify({ version: PACKAGE_VERSION, node: process.version, ...info, zstd: zstdLoadError ? `fzstd (zstd-napi: ${zstdLoadError.message})` : 'zstd-napi' }, null, 2) + '\n');
        return;
      }
      const lines = [`pajama-sieve ${PACKAGE_VERSION} on node ${process.version}, ${info.platform}`];
      lines.push(`hashing backend: ${info.chosen ?? 'none'}${info.forced ? ` (SIEVE_BACKEND=${info.forced})` : ''}${info.error ? ` — ${info.error}` : ''}`);
      for (const b of info.backends) lines.push(`  ${b.name.padEnd(5)} ${b.available ? `available${b.detail ? ` (${b.detail})` : ''}` : `unavailable: ${b.reason ?? 'unknown'}`}`);
      lines.push(`cpu features (${info.cpuFeaturesSource}): ${info.cpuFeatures.join(' ') || 'none'}`);
      for (const [kernel, path] of Object.entries(info.paths)) lines.push(`  ${kernel}: ${path}`);
      lines.push(`addon: ${info.addonPath}`, `cuda library: ${info.cudaLibraryPath}`);
      lines.push(`zstd: ${zstdLoadError ? `fzstd, because zstd-napi did not load: ${zstdLoadError.message}` : 'zstd-napi'}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
