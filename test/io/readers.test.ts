import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Document, DocumentBatch } from '../../src/document.js';
import { SieveError } from '../../src/errors.js';
import { readDocuments, type ReadDocumentsOptions } from '../../src/io/read-documents.js';
import { expandInputs } from '../../src/io/inputs.js';
import { kindFromName, stripExtensions } from '../../src/io/formats.js';
import { shared, tempDir } from '../helpers.js';

async function readAll(path: string, options: ReadDocumentsOptions = {}): Promise<{ docs: Document[]; batches: DocumentBatch[] }> {
  const batches: DocumentBatch[] = [];
  for await (const b of readDocuments(path, options)) batches.push(b);
  return { docs: batches.flatMap((b) => b.documents), batches };
}

describe('readers', () => {
  it('reads the three JSON-lines corpora with their ids, in order, in bounded batches', async () => {
    for (const [path, n, firstId] of [
      [shared('corpus', 'web', 'web_docs.jsonl.gz'), 1094, 'dolma-ccmain:hkuwh2qpuu3i5tljsqtr7kfj5g56hml5'],
      [shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'), 1876, 'spamassassin:spam-1:00001'],
      [shared('corpus', 'quality', 'dclm_human_quality.jsonl.gz'), 499, 'dclm-human:000'],
    ] as const) {
      const { docs, batches } = await readAll(path, { batchSize: 100 });
      assert.equal(docs.length, n);
      assert.equal(docs[0].id, firstId);
      assert.ok(batches.every((b) => b.documents.length <= 100));
      assert.equal(docs[0].location.line, 1);
      assert.equal(docs[n - 1].location.line, n);
    }
  });

  it('keeps every other field in meta, and url at top level', async () => {
    const { docs } = await readAll(shared('corpus', 'web', 'web_docs.jsonl.gz'), { batchSize: 10 });
    assert.equal(typeof docs[0].url, 'string');
    assert.equal(docs[0].meta.url, docs[0].url);
    assert.ok('source' in docs[0].meta);
    assert.ok(!('text' in docs[0].meta));
  });

  it('cuts batches early when their text grows past batchChars', async () => {
    const { batches } = await readAll(shared('corpus', 'web', 'web_docs.jsonl.gz'), { batchSize: 1000, batchChars: 100_000 });
    assert.ok(batches.length > 20);
    for (const b of batches.slice(0, -1)) {
      const chars = b.documents.reduce((n, d) => n + d.text.length, 0);
      assert.ok(chars - b.documents[b.documents.length - 1].text.length < 100_000);
    }
  });

  it('reads WET and WARC: conversion records and textual responses, id = WARC-Record-ID, url = WARC-Target-URI', async () => {
    const wet = await readAll(shared('corpus', 'web', 'originals', 'cc_whirlwind.warc.wet.gz'));
    assert.equal(wet.docs.length, 1);
    assert.equal(wet.docs[0].id, '<urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d>');
    assert.equal(wet.docs[0].url, 'https://an.wikipedia.org/wiki/Escopete');
    assert.ok(wet.docs[0].text.startsWith('Escopete - Biquipedia'));
    assert.equal(wet.docs[0].meta['warc-identified-content-language'], 'spa');
    const warc = await readAll(shared('corpus', 'web', 'originals', 'cc_whirlwind.warc.gz'));
    assert.equal(warc.docs.length, 1, 'the request and metadata records are not documents');
    assert.ok(warc.docs[0].text.startsWith('<!DOCTYPE html>'));
    assert.equal(warc.docs[0].meta.content_type, 'text/html; charset=UTF-8');
    const wat = await readAll(shared('corpus', 'web', 'originals', 'cc_whirlwind.warc.wat.gz'));
    assert.equal(wat.docs.length, 0, 'WAT metadata records hold no documents');
  });

  it('reads cc_net\'s hand-written WET fixture, whose Content-Length values are wrong, without losing records', async () => {
    const { docs } = await readAll(shared('corpus', 'web', 'originals', 'ccnet_sample.warc.wet'));
    assert.deepEqual(docs.map((d) => d.url), ['http://sample_english.com', 'http://sample_chinese.zh', 'http://sample_russian.ru']);
    assert.ok(docs[0].text.startsWith('Famous Mark Twain Quotes\n'));
    assert.ok(docs[0].text.endsWith("Truth isn't."));
    for (const d of docs) assert.ok(!d.text.includes('WARC/1.0'), 'no record bleeds into the next');
  });

  it('gives RPv2-layout documents the reference ids, and Dolma documents their own', async () => {
    const dir = tempDir();
    const shard = join(dir, 'documents', '2023-06', '0000');
    mkdirSync(shard, { recursive: true });
    const ccnet = (i: number) => ({ raw_content: `doc ${i}`, url: `https://x.example/${i}`, nlines: 1, original_nlines: 1, source_domain: 'x.example', length: 5, original_length: 6, language: 'en', language_score: 0.9, perplexity: 100.5, bucket: 'head', digest: 'sha1:AAAA', cc_segment: 's', date_download: 'd' });
    writeFileSync(join(shard, 'en_head.json.gz'), gzipSync([0, 1, 2].map((i) => JSON.stringify(ccnet(i))).join('\n') + '\n'));
    const { docs } = await readAll(join(shard, 'en_head.json.gz'));
    assert.deepEqual(docs.map((d) => d.id), ['2023-06/0000/en_head.json.gz/0', '2023-06/0000/en_head.json.gz/1', '2023-06/0000/en_head.json.gz/2']);
    assert.equal(docs[1].text, 'doc 1');
    assert.equal(docs[1].meta.perplexity, 100.5);
    const dolma = join(dir, 'dolma.json.gz');
    writeFileSync(dolma, gzipSync(JSON.stringify({ id: 'abc', text: 'hello', source: 'c4', added: '2024', metadata: { a: 1 } }) + '\n'));
    const d = await readAll(dolma);
    assert.equal(d.docs[0].id, 'abc');
    assert.deepEqual(d.docs[0].meta.metadata, { a: 1 });
  });

  it('uses --text-field and --id-field, and <name>:<line> ids when there is no id', async () => {
    const dir = tempDir();
    const f = join(dir, 'custom.jsonl');
    writeFileSync(f, '{"body": "one", "key": 7}\n\n{"body": "two", "key": 8}\n');
    const custom = await readAll(f, { textField: 'body', idField: 'key' });
    assert.deepEqual(custom.docs.map((d) => [d.id, d.text]), [['7', 'one'], ['8', 'two']]);
    const plain = await readAll(f, { textField: 'body' });
    assert.deepEqual(plain.docs.map((d) => d.id), ['custom:1', 'custom:3'], 'line numbers count blank lines');
  });

  it('takes raw_content when there is no text field, and prefers text when both exist', async () => {
    const dir = tempDir();
    const f = join(dir, 'both.jsonl');
    writeFileSync(f, '{"raw_content": "rc"}\n{"text": "t", "raw_content": "rc"}\n');
    const { docs } = await readAll(f);
    assert.deepEqual(docs.map((d) => d.text), ['rc', 't']);
  });

  it('detects the format from content when the name does not say, and handles CRLF and a BOM', async () => {
    const dir = tempDir();
    const f = join(dir, 'noext');
    writeFileSync(f, gzipSync('\ufeff{"text": "a"}\r\n{"text": "b"}\r\n'));
    const { docs } = await readAll(f);
    assert.deepEqual(docs.map((d) => d.text), ['a', 'b']);
  });

  it('rejects non-object JSON and a text that is not a string, with line numbers', async () => {
    const dir = tempDir();
    const f = join(dir, 'odd.jsonl');
    writeFileSync(f, '[1,2]\n{"text": 5}\n{"text": null}\n{"text": "ok"}\n');
    const { docs, batches } = await readAll(f, { onError: 'skip' });
    assert.equal(docs.length, 1);
    const rejected = batches.flatMap((b) => b.rejected);
    assert.deepEqual(rejected.map((r) => [r.location.line, r.code]), [[1, 'E_INPUT_PARSE'], [2, 'E_INPUT_FIELD'], [3, 'E_INPUT_FIELD']]);
    assert.match(rejected[1].reason, /is number, not a string/);
    await assert.rejects(readAll(f), (e: unknown) => e instanceof SieveError && e.location?.line === 1);
  });

  it('releases the file when a consumer stops early', async () => {
    const it = readDocuments(shared('corpus', 'web', 'web_docs.jsonl.gz'), { batchSize: 10 })[Symbol.asyncIterator]();
    const first = await it.next();
    assert.equal(first.done, false);
    const ret = await it.return?.(undefined);
    assert.equal(ret?.done, true);
  });

  it('names shards: extensions stripped, directory layout kept, collisions resolved', async () => {
    assert.equal(stripExtensions('en_head.json.gz'), 'en_head');
    assert.equal(stripExtensions('web.v2.jsonl.zst'), 'web.v2');
    assert.deepEqual(kindFromName('x.wet.gz'), { format: 'warc', compression: 'gzip' });
    assert.equal(kindFromName('README.md'), undefined);
    const dir = tempDir();
    for (const p of ['2023-06/0000', '2023-06/0001']) {
      mkdirSync(join(dir, p), { recursive: true });
      writeFileSync(join(dir, p, 'en_head.json.gz'), gzipSync('{"raw_content": "x"}\n'));
      writeFileSync(join(dir, p, 'notes.txt'), 'not an input');
    }
    const shards = await expandInputs([dir]);
    assert.deepEqual(shards.map((s) => s.name), ['2023-06/0000/en_head', '2023-06/0001/en_head']);
    const both = await expandInputs([join(dir, '2023-06/0000/en_head.json.gz'), join(dir, '2023-06/0001/en_head.json.gz')]);
    assert.deepEqual(both.map((s) => s.name), ['0000/en_head', '0001/en_head']);
  });
});
