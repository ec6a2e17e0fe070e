import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBatchFile } from '../../src/cli/batch.js';
import { isFootnoteError } from '../../src/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'footnote-batch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function batch(text: string): Promise<{ file: string; warnings: string[]; result: unknown }> {
  const file = path.join(dir, 'q.jsonl');
  await writeFile(file, text);
  const warnings: string[] = [];
  const result = await readBatchFile(file, (m) => warnings.push(m)).catch((e: unknown) => e);
  return { file, warnings, result };
}

describe('readBatchFile', () => {
  it('given an empty or blank file, refuses it saying what a line looks like', async () => {
    for (const text of ['', '\n \n', '\uFEFF']) {
      const { result } = await batch(text);
      expect(isFootnoteError(result, 'INPUT_INVALID')).toBe(true);
      expect((result as Error).message).toMatch(/holds no questions.*"id".*"question"/u);
    }
  });

  it('given a byte order mark, reads the first line as JSON', async () => {
    const { result } = await batch('\uFEFF{"id": 1, "question": "Who?"}\n{"id": "2", "question": "When?"}\n');
    expect(result).toEqual([
      { id: '1', question: 'Who?' },
      { id: '2', question: 'When?' },
    ]);
  });

  it('given an id used twice, warns naming both lines and keeps both questions', async () => {
    const { result, warnings } = await batch(
      '{"id": "a", "question": "One?"}\n{"id": "b", "question": "Two?"}\n{"id": "a", "question": "Three?"}\n',
    );
    expect(result).toHaveLength(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/line 3 uses the id "a" of line 1/u);
  });
});
