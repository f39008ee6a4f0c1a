import { strict as assert } from 'node:assert';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { Decompress as FzstdDecompress } from 'fzstd';
import { compress as zstdCompress } from 'zstd-napi';
import { duckdb, tempDir } from '../helpers.js';
import {
  COMMANDS,
  assertErrorLine,
  assertManifestAddsUp,
  leftBehind,
  readManifest,
  readRejected,
  runCommand,
  sentencesLine,
  webLines,
  type Command,
  type InputCounts,
  type ManifestCounts,
} from './hostile.js';

/** What a hostile input gives under `--on-error skip`. */
interface Outcome {
  readonly documents: number;
  /** The ids of the documents read, where they are known ahead. */
  readonly ids?: readonly string[];
  /** Records the input holds, where they can be counted: documents + rejected must make them. */
  readonly records?: number;
  readonly rejected: readonly { readonly line?: number; readonly code: string; readonly reason: RegExp; readonly count?: number }[];
}

interface HostileCase {
  readonly name: string;
  /** File name of the input; its outputs are named after it without extensions. */
  readonly file: string;
  /** Writes the input (or leaves it missing) and says what skipping gives. */
  readonly write: (path: string) => Outcome | Promise<Outcome>;
  /** The error of a default (`--on-error fail`) run. */
  readonly code: string;
  /** The error line's cause and location. */
  readonly message: RegExp;
  /** Commands checked in fail mode. @default all three */
  readonly failWith?: readonly Command[];
}

const lines = (...l: string[]) => Buffer.from(l.join('\n') + '\n');
const web = webLines(6, 'w');

/** Newlines in the part of a truncated stream that decodes (gzip: zlib itself; zstd: fzstd, not the reader's zstd-napi). */
function completeLines(decoded: Uint8Array): number {
  return Buffer.from(decoded).toString('latin1').split('\n').length - 1;
}

function truncatedZstdLines(truncated: Buffer): number {
  let n = 0;
  new FzstdDecompress((chunk) => (n += completeLines(chunk))).push(truncated);
  return n;
}

/** 1,000 documents, 600 KB: several zstd blocks, so a truncated file still holds whole ones. */
const MANY = Array.from({ length: 1000 }, (_, i) => sentencesLine(i)).join('\n') + '\n';
const MAX_RECORD = 128 * 2 ** 20;

const CASES: readonly HostileCase[] = [
  {
    name: 'malformed JSON',
    file: 'malformed.jsonl',
    write: (path) => {
      writeFileSync(path, lines(web[0], '{"id": "m2", "text": "unterminated', web[1], '[{"id": "m4", "text": "an array"}]', '42'));
      return {
        documents: 2,
        ids: ['w-0', 'w-1'],
        records: 5,
        rejected: [
          { line: 2, code: 'E_INPUT_PARSE', reason: /^malformed JSON \(.*Unterminated string/ },
          { line: 4, code: 'E_INPUT_PARSE', reason: /^expected a JSON object$/ },
          { line: 5, code: 'E_INPUT_PARSE', reason: /^expected a JSON object$/ },
        ],
      };
    },
    code: 'E_INPUT_PARSE',
    message: /malformed JSON \(.+\) at \S*malformed\.jsonl:2$/,
  },
  {
    name: 'invalid UTF-8',
    file: 'badutf8.jsonl',
    write: (path) => {
      const bad = (id: string, bytes: number[]) => Buffer.concat([Buffer.from(`{"id":"${id}","text":"caf`), Buffer.from(bytes), Buffer.from('"}\n')]);
      writeFileSync(
        path,
        Buffer.concat([
          lines(web[0], web[1]),
          bad('u3', [0xc3, 0x28]), // a lead byte without its continuation
          bad('u4', [0xed, 0xa0, 0x80]), // a UTF-16 surrogate encoded as UTF-8
          bad('u5', [0xc0, 0xaf]), // an overlong encoding
          lines('{"id":"u6","text":"a lone \\ud800 surrogate, escaped: valid JSON"}'),
        ]),
      );
      return {
        documents: 3,
        ids: ['w-0', 'w-1', 'u6'],
        records: 6,
        rejected: [3, 4, 5].map((line) => ({ line, code: 'E_INPUT_ENCODING', reason: /^invalid UTF-8$/ })),
      };
    },
    code: 'E_INPUT_ENCODING',
    message: /invalid UTF-8 at \S*badutf8\.jsonl:3$/,
  },
  {
    name: 'NUL bytes',
    file: 'nul.jsonl',
    write: (path) => {
      writeFileSync(
        path,
        Buffer.concat([
          lines(web[0]),
          Buffer.from('{"id":"n2","text":"a\u0000b"}\n'),
          Buffer.alloc(4096), // a zero-filled block, as an interrupted write leaves
          lines('', '{"id":"n4","text":"an escaped \\u0000 is text like any other"}', web[1]),
        ]),
      );
      return {
        documents: 3,
        ids: ['w-0', 'n4', 'w-1'],
        records: 5,
        rejected: [
          { line: 2, code: 'E_INPUT_PARSE', reason: /^malformed JSON \(a NUL byte at column 21\)$/ },
          { line: 3, code: 'E_INPUT_PARSE', reason: /^malformed JSON \(a NUL byte at column 1\)$/ },
        ],
      };
    },
    code: 'E_INPUT_PARSE',
    message: /malformed JSON \(a NUL byte at column 21\) at \S*nul\.jsonl:2$/,
  },
  {
    name: 'a missing or non-string text field',
    file: 'notext.jsonl',
    write: (path) => {
      writeFileSync(path, lines(web[0], '{"id":"t2","body":"no text here"}', '{"id":"t3","text":null}', web[1]));
      return {
        documents: 2,
        ids: ['w-0', 'w-1'],
        records: 4,
        rejected: [
          { line: 2, code: 'E_INPUT_FIELD', reason: /^missing text field "text" or "raw_content"$/ },
          { line: 3, code: 'E_INPUT_FIELD', reason: /^text field "text" is null, not a string$/ },
        ],
      };
    },
    code: 'E_INPUT_FIELD',
    message: /missing text field "text" or "raw_content" at \S*notext\.jsonl:2$/,
  },
  {
    name: 'a truncated gzip file',
    file: 'truncated.jsonl.gz',
    write: (path) => {
      const gz = gzipSync(MANY);
      const truncated = gz.subarray(0, gz.length >> 1);
      writeFileSync(path, truncated);
      const documents = completeLines(gunzipSync(truncated, { finishFlush: zlibConstants.Z_SYNC_FLUSH }));
      assert.ok(documents > 100 && documents < 1000, `${documents} complete lines`);
      return { documents, rejected: [{ line: documents + 1, code: 'E_INPUT_TRUNCATED', reason: /^truncated gzip stream \(.+\); the rest of the file is lost$/ }] };
    },
    code: 'E_INPUT_TRUNCATED',
    message: /truncated gzip stream \(.+\); the rest of the file is lost at \S*truncated\.jsonl\.gz:\d+$/,
  },
  {
    name: 'a truncated zstd file',
    file: 'truncated-z.jsonl.zst',
    write: (path) => {
      const z = zstdCompress(Buffer.from(MANY));
      const truncated = z.subarray(0, z.length >> 1);
      writeFileSync(path, truncated);
      const documents = truncatedZstdLines(truncated);
      assert.ok(documents > 100 && documents < 1000, `${documents} complete lines`);
      return { documents, rejected: [{ line: documents + 1, code: 'E_INPUT_TRUNCATED', reason: /^truncated zstd stream \(.+\); the rest of the file is lost$/ }] };
    },
    code: 'E_INPUT_TRUNCATED',
    message: /truncated zstd stream \(.+\); the rest of the file is lost at \S*truncated-z\.jsonl\.zst:\d+$/,
  },
  {
    name: 'a JSON line over the 128 MiB record limit',
    file: 'huge-line.jsonl',
    write: (path) => {
      // Not even JSON: the reader must reject it by length, never holding it.
      writeFileSync(path, Buffer.concat([lines(web[0]), Buffer.alloc(MAX_RECORD + 1, 'x'), lines('', web[1])]));
      return {
        documents: 2,
        ids: ['w-0', 'w-1'],
        records: 3,
        rejected: [{ line: 2, code: 'E_INPUT_TOO_LARGE', reason: new RegExp(`^JSON line of ${MAX_RECORD + 1} bytes is over the limit of ${MAX_RECORD} bytes for one record$`) }],
      };
    },
    code: 'E_INPUT_TOO_LARGE',
    message: /JSON line of \d+ bytes is over the limit of 134217728 bytes for one record at \S*huge-line\.jsonl:2$/,
    failWith: ['signals'],
  },
  {
    name: 'an empty file',
    file: 'empty.jsonl',
    write: (path) => {
      writeFileSync(path, '');
      return { documents: 0, rejected: [{ code: 'E_INPUT_EMPTY', reason: /^input is empty \(0 bytes\)$/ }] };
    },
    code: 'E_INPUT_EMPTY',
    message: /input is empty \(0 bytes\) at \S*empty\.jsonl$/,
  },
  {
    name: 'a missing file',
    file: 'missing.jsonl',
    write: () => ({ documents: 0, rejected: [{ code: 'E_INPUT_MISSING', reason: /^input does not exist: \S*missing\.jsonl$/ }] }),
    code: 'E_INPUT_MISSING',
    message: /input does not exist: \S*missing\.jsonl at \S*missing\.jsonl$/,
  },
  {
    name: 'a dangling symbolic link',
    file: 'dangling.jsonl',
    write: (path) => {
      symlinkSync('nowhere.jsonl', path);
      return { documents: 0, rejected: [{ code: 'E_INPUT_MISSING', reason: /^input is a dangling symbolic link: \S*dangling\.jsonl -> nowhere\.jsonl$/ }] };
    },
    code: 'E_INPUT_MISSING',
    message: /input is a dangling symbolic link: \S*dangling\.jsonl -> nowhere\.jsonl at /,
  },
  {
    // Unreadable for root too (chmod 000 is not): a link to itself cannot be opened by anyone.
    name: 'an unreadable file (a symbolic link loop)',
    file: 'loop.jsonl',
    write: (path) => {
      symlinkSync(basename(path), path);
      return { documents: 0, rejected: [{ code: 'E_INPUT_UNREADABLE', reason: /^cannot read input: too many levels of symbolic links \(a link loop\?\) \(ELOOP\)$/ }] };
    },
    code: 'E_INPUT_UNREADABLE',
    message: /cannot read input: too many levels of symbolic links \(a link loop\?\) \(ELOOP\) at \S*loop\.jsonl$/,
  },
  ...(process.getuid?.() === 0
    ? []
    : [
        {
          name: 'an unreadable file (no read permission)',
          file: 'locked.jsonl',
          write: (path: string) => {
            writeFileSync(path, lines(web[0]));
            chmodSync(path, 0o000);
            return { documents: 0, rejected: [{ code: 'E_INPUT_UNREADABLE', reason: /^cannot read input: permission denied \(EACCES\)$/ }] };
          },
          code: 'E_INPUT_UNREADABLE',
          message: /cannot read input: permission denied \(EACCES\) at \S*locked\.jsonl$/,
        },
      ]),
  {
    name: 'a Parquet file without the text column',
    file: 'columns.parquet',
    write: async (path) => {
      await duckdb(`COPY (SELECT range AS id, 'x' AS body FROM range(5)) TO '${path}' (FORMAT parquet)`);
      return { documents: 0, records: 5, rejected: [{ code: 'E_INPUT_FIELD', reason: /^Parquet file has no text column "text" or "raw_content" \(columns: id, body\)$/, count: 5 }] };
    },
    code: 'E_INPUT_FIELD',
    message: /Parquet file has no text column "text" or "raw_content" \(columns: id, body\) at \S*columns\.parquet$/,
  },
];

const nameOf = (file: string) => file.split('.')[0];

describe('hostile input, default --on-error fail: one error line, exit code 2, nothing left under a final name (issue 9)', { concurrency: 2 }, () => {
  const dir = tempDir('sieve-hostile-fail-');
  for (const c of CASES) {
    for (const command of c.failWith ?? COMMANDS) {
      it(`${c.name}: sieve ${command}`, async () => {
        const input = join(dir, `${command}-${c.file}`);
        await c.write(input);
        const out = join(dir, `out-${command}-${c.file}`);
        const r = await runCommand(command, [input], out);
        assertErrorLine(r, c.code, c.message);
        assert.deepEqual(leftBehind(out), []);
      });
    }
  }
});

describe('hostile input, --on-error skip: every valid document processed, every bad record counted in rejected/ (issue 9)', () => {
  const dir = tempDir('sieve-hostile-skip-');
  const outcomes = new Map<string, Outcome>();
  const ok = join(dir, 'ok.jsonl');
  const inputs = CASES.map((c) => join(dir, c.file));
  const manifests = new Map<Command, ManifestCounts>();
  const out = (command: Command) => join(dir, `out-${command}`);

  before(async () => {
    for (const c of CASES) outcomes.set(c.name, await c.write(join(dir, c.file)));
    writeFileSync(ok, lines(...webLines(3, 'ok')));
    // One run per command over every hostile input at once, as a corpus with a few bad shards would be.
    await Promise.all(
      COMMANDS.map(async (command) => {
        const r = await runCommand(command, [...inputs, ok], out(command), ['--on-error', 'skip', '--workers', '2']);
        assert.equal(r.status, 0, `sieve ${command}: ${r.stderr}`);
        manifests.set(command, readManifest(out(command)));
      }),
    );
  });

  const entry = (command: Command, file: string): InputCounts => {
    const found = manifests.get(command)?.inputs.find((i) => i.name === nameOf(file));
    assert.ok(found, `${file} in the ${command} manifest`);
    return found;
  };

  for (const command of COMMANDS) {
    it(`sieve ${command}: the manifest adds up, per input and in total, and the valid input is whole`, () => {
      const m = manifests.get(command) as ManifestCounts;
      assert.equal(m.inputs.length, CASES.length + 1);
      assertManifestAddsUp(command, out(command), m);
      const good = entry(command, 'ok.jsonl');
      assert.equal(good.documents, 3);
      assert.equal(good.rejected, 0);
    });
  }

  for (const c of CASES) {
    it(`${c.name}: the same counts from signals, run and dedup, and each rejection's location and reason`, async () => {
      const expected = outcomes.get(c.name) as Outcome;
      const rejectedCount = expected.rejected.reduce((n, r) => n + (r.count ?? 1), 0);
      for (const command of COMMANDS) {
        const e = entry(command, c.file);
        assert.equal(e.documents, expected.documents, `${command}: documents`);
        assert.equal(e.rejected, rejectedCount, `${command}: rejected`);
        if (expected.records !== undefined) assert.equal(e.documents + e.rejected, expected.records, `${command}: documents + rejected = records`);
        assert.equal(e.rejectedFile, `rejected/${nameOf(c.file)}.jsonl`);
        const rejected = readRejected(out(command), e);
        assert.equal(rejected.length, expected.rejected.length, `${command}: rejected/ lines`);
        rejected.forEach((r, k) => {
          const want = expected.rejected[k];
          assert.equal(r.file, join(dir, c.file));
          assert.equal(r.code, want.code);
          assert.match(r.reason, want.reason);
          assert.equal(r.line, want.line, `${command}: line of rejection ${k + 1}`);
          assert.equal(r.count, want.count);
        });
      }
      const signals = entry('signals', c.file);
      if (signals.documents > 0) {
        const rows = await duckdb(`SELECT id FROM '${join(out('signals'), signals.outputs?.[0] ?? '')}'`);
        assert.equal(rows.length, expected.documents, 'the Parquet file holds exactly the documents counted');
        if (expected.ids) assert.deepEqual(rows.map((r) => r.id), expected.ids);
      }
    });
  }
});
