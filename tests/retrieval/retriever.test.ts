import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseRetriever } from '@langchain/core/retrievers';
import { openEngine } from '../../src/answer/open-engine.js';
import type { FootnoteEngine } from '../../src/answer/engine.js';
import { loadConfig } from '../../src/config.js';

describe('HybridRetriever (LangChain BaseRetriever)', () => {
  let dir: string;
  let engine: FootnoteEngine;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'footnote-retriever-'));
    const config = loadConfig({
      CORPUS_DIR: 'corpus',
      INDEX_DIR: join(dir, 'index'),
      DATA_DIR: dir,
      EMBEDDINGS: 'ngram',
    });
    engine = await openEngine({ config });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given a question, invoke() returns k passage documents with their location, best first', async () => {
    const retriever = engine.asRetriever(3);
    expect(retriever).toBeInstanceOf(BaseRetriever);
    const docs = await retriever.invoke('Which hubs does the Dostyk crossing belong to?');
    expect(docs).toHaveLength(3);
    expect(docs.some((d) => d.pageContent.includes('Dostyk'))).toBe(true);
    const scores = docs.map((d) => d.metadata['score'] as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const d of docs) {
      expect(typeof d.metadata['doc']).toBe('string');
      expect(d.pageContent.length).toBe((d.metadata['end'] as number) - (d.metadata['start'] as number));
    }
  });
});
