import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { SieveError } from '../errors.js';
import { kindFromName, stripExtensions } from './formats.js';

/** One input file and the name its outputs take (relative path without extensions). */
export interface InputShard {
  readonly path: string;
  readonly name: string;
}

/**
 * Expands inputs into shards: files as given, directories into every file below them with a
 * known extension (sorted), `-` as stdin. Names are file names without extensions; files found
 * in a directory keep their relative path (`2023-06/0000/en_head`), and where two inputs would
 * share a name, paths relative to their common folder are used instead.
 */
export async function expandInputs(inputs: readonly string[]): Promise<InputShard[]> {
  const found: { path: string; rel: string }[] = [];
  for (const input of inputs) {
    if (input === '-') {
      found.push({ path: '-', rel: 'stdin' });
      continue;
    }
    const st = await stat(input).catch(() => undefined);
    if (st?.isDirectory()) {
      const files = await listFiles(input);
      if (files.length === 0) throw new SieveError('E_INPUT_MISSING', `no input files (.jsonl, .json.gz, .parquet, .warc, …) in directory ${input}`, { location: { file: input } });
      for (const f of files) found.push({ path: f, rel: relative(input, f) });
    } else {
      found.push({ path: input, rel: basename(input) });
    }
  }
  let names = found.map((f) => stripName(f.rel));
  if (new Set(names).size !== names.length) {
    const base = commonFolder(found.filter((f) => f.path !== '-').map((f) => resolve(f.path)));
    names = found.map((f) => (f.path === '-' ? 'stdin' : stripName(relative(base, resolve(f.path)))));
  }
  const seen = new Map<string, string>();
  found.forEach((f, i) => {
    const prev = seen.get(names[i]);
    if (prev !== undefined) throw new SieveError('E_USAGE', `inputs ${prev} and ${f.path} would write the same output "${names[i]}"`, { hint: 'give each input once' });
    seen.set(names[i], f.path);
  });
  return found.map((f, i) => ({ path: f.path, name: names[i] }));
}

function stripName(rel: string): string {
  const parts = rel.split(sep);
  parts[parts.length - 1] = stripExtensions(parts[parts.length - 1]);
  return parts.join('/');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile() && !e.name.startsWith('.') && kindFromName(e.name)) out.push(p);
  }
  return out;
}

function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return process.cwd();
  let base = dirname(paths[0]);
  while (!paths.every((p) => p.startsWith(base.endsWith(sep) ? base : base + sep))) {
    const up = dirname(base);
    if (up === base) break;
    base = up;
  }
  return base;
}
