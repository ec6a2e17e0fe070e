import { corpusChecksum } from '../../src/corpus/load-corpus.js';
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FootnoteError, type FootnoteErrorCode } from '../../src/errors.js';
import {
  checkCompatible,
  INDEX_FORMAT_VERSION,
  readManifest,
  writeManifest,
  type ManifestInput,
} from '../../src/index/manifest.js';

const SHA = 'a'.repeat(64);
const documents = [
  { path: 'b.md', sha256: SHA, passages: 2 },
  { path: 'a.md', sha256: 'b'.repeat(64), passages: 3 },
];
const input: ManifestInput = {
  embedding: { model: 'use-lite-512', dimension: 512 },
  passageSettings: { targetChars: 400, maxChars: 800 },
  corpusChecksum: corpusChecksum(documents),
  passageCount: 5,
  documents,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footnote-manifest-'));
  await writeFile(join(dir, 'hnsw.bin'), Buffer.alloc(4096, 7));
  await writeFile(join(dir, 'docstore.json'), '{"documents":[]}');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<FootnoteError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FootnoteError);
  return err as FootnoteError;
}

async function expectCode(p: Promise<unknown>, code: FootnoteErrorCode, message: RegExp): Promise<void> {
  const err = await failure(p);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
}

async function patchManifest(patch: (m: Record<string, unknown>) => void): Promise<void> {
  const file = join(dir, 'manifest.json');
  const m = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  patch(m);
  await writeFile(file, JSON.stringify(m));
}

describe('manifest', () => {
  it('writes checksums of every index file and reads the manifest back', async () => {
    const written = await writeManifest(dir, input);
    expect(Object.keys(written.files).sort()).toEqual(['docstore.json', 'hnsw.bin']);
    expect(written.files['hnsw.bin']?.size).toBe(4096);
    expect(written.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect(new Date(written.builtAt).toISOString()).toBe(written.builtAt);
    expect(await readManifest(dir)).toEqual(written);
  });

  it('computes an order-independent corpus checksum that changes with any document', () => {
    const reversed = [...documents].reverse();
    expect(corpusChecksum(reversed)).toBe(corpusChecksum(documents));
    expect(corpusChecksum([{ path: 'a.md', sha256: SHA }])).not.toBe(corpusChecksum(documents));
  });

  it('given a folder that does not exist, refuses with INDEX_MISSING telling to run ingest', async () => {
    await expectCode(readManifest(join(dir, 'nope')), 'INDEX_MISSING', /npm run ingest/);
  });

  it('given a folder without a manifest, refuses with INDEX_MISSING', async () => {
    await expectCode(readManifest(dir), 'INDEX_MISSING', /npm run ingest/);
  });

  it('given a truncated index file, refuses with INDEX_CORRUPT naming the file', async () => {
    await writeManifest(dir, input);
    await truncate(join(dir, 'hnsw.bin'), 1000);
    await expectCode(readManifest(dir), 'INDEX_CORRUPT', /hnsw\.bin.*truncated.*npm run ingest/);
  });

  it('given a file damaged at the same size, the checksum catches it', async () => {
    await writeManifest(dir, input);
    await writeFile(join(dir, 'hnsw.bin'), Buffer.alloc(4096, 8));
    await expectCode(readManifest(dir), 'INDEX_CORRUPT', /hnsw\.bin.*checksum/);
    // Size-only verification is cheaper and does not see it.
    await expect(readManifest(dir, { verify: 'size' })).resolves.toBeDefined();
  });

  it('given a missing index file, refuses with INDEX_CORRUPT naming the file', async () => {
    await writeManifest(dir, input);
    await unlink(join(dir, 'docstore.json'));
    await expectCode(readManifest(dir), 'INDEX_CORRUPT', /docstore\.json.*missing.*npm run ingest/);
  });

  it('given a manifest that is not JSON, refuses with INDEX_CORRUPT', async () => {
    await writeFile(join(dir, 'manifest.json'), '{"formatVersion": 1, "embed');
    await expectCode(readManifest(dir), 'INDEX_CORRUPT', /manifest\.json.*not valid JSON.*npm run ingest/);
  });

  it('given a manifest failing the schema, refuses with INDEX_CORRUPT listing the field', async () => {
    await writeManifest(dir, input);
    await patchManifest((m) => {
      m.passageCount = -1;
    });
    await expectCode(readManifest(dir), 'INDEX_CORRUPT', /passageCount/);
  });

  it('given a manifest listing a path outside its folder, refuses it', async () => {
    await writeManifest(dir, input);
    await patchManifest((m) => {
      m.files = { '../etc/passwd': { sha256: SHA, size: 1 } };
    });
    await expectCode(readManifest(dir), 'INDEX_CORRUPT', /files/);
  });

  it('given an index from an older format, refuses with INDEX_FORMAT_MISMATCH naming the format', async () => {
    await writeManifest(dir, input);
    await patchManifest((m) => {
      m.formatVersion = 0;
    });
    await expectCode(
      readManifest(dir),
      'INDEX_FORMAT_MISMATCH',
      /older Footnote \(format 0\).*npm run ingest/,
    );
  });

  it('given an index from a newer format, says so', async () => {
    await writeManifest(dir, input);
    await patchManifest((m) => {
      m.formatVersion = INDEX_FORMAT_VERSION + 1;
    });
    await expectCode(readManifest(dir), 'INDEX_FORMAT_MISMATCH', /newer Footnote/);
  });

  it('keeps extra fields a builder records', async () => {
    const written = await writeManifest(dir, { ...input, lexical: { k1: 1.2 } });
    expect((await readManifest(dir)) as Record<string, unknown>).toMatchObject({ lexical: { k1: 1.2 } });
    expect(written).toMatchObject({ lexical: { k1: 1.2 } });
  });
});

describe('checkCompatible', () => {
  it('accepts the model the index was built with', async () => {
    const m = await writeManifest(dir, input);
    expect(() => checkCompatible(m, { model: 'use-lite-512', dimension: 512 })).not.toThrow();
  });

  it('given another model, refuses with INDEX_MODEL_MISMATCH naming both models and the setting', async () => {
    const m = await writeManifest(dir, input);
    let err: unknown;
    try {
      checkCompatible(m, { model: 'ngram-2048-v1', dimension: 2048, setting: 'ngram' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FootnoteError);
    expect((err as FootnoteError).code).toBe('INDEX_MODEL_MISMATCH');
    expect((err as FootnoteError).message).toBe(
      'The index was built with model use-lite-512, this run uses ngram-2048-v1 (EMBEDDINGS=ngram). ' +
        'Run `npm run ingest` to rebuild the index.',
    );
  });

  it('given the same model with another dimension, refuses and names the dimensions', async () => {
    const m = await writeManifest(dir, input);
    expect(() => checkCompatible(m, { model: 'use-lite-512', dimension: 256 })).toThrow(
      /512 dimensions.*256 dimensions/,
    );
  });
});
