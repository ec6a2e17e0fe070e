import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFootnoteError } from '../../src/errors.js';
import { readAtomicDir, readCurrent, resolveIndexDir, writeAtomicDir } from '../../src/index/atomic-dir.js';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'footnote-atomic-'));
  dir = join(root, 'index');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const FILES = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes every file with the same build token, pausing between files to widen race windows. */
async function writeBuild(tmp: string, token: string, delayMs = 0): Promise<void> {
  for (const f of FILES) {
    await writeFile(join(tmp, f), `${token}:${f}:${'x'.repeat(2000)}`);
    if (delayMs) await pause(delayMs);
  }
}

/** Reads every file and returns the set of build tokens seen (1 = consistent). */
async function readBuild(versionDir: string): Promise<Set<string>> {
  const tokens = new Set<string>();
  for (const f of FILES) tokens.add((await readFile(join(versionDir, f), 'utf8')).split(':')[0] ?? '');
  return tokens;
}

describe('atomic index folder', () => {
  it('publishes a version and points `current` at it', async () => {
    const published = await writeAtomicDir(dir, (tmp) => writeBuild(tmp, 'one'));
    expect(await readCurrent(dir)).toBe(published.version);
    expect(await resolveIndexDir(dir)).toBe(published.path);
    const { value } = await readAtomicDir(dir, readBuild);
    expect([...value]).toEqual(['one']);
    expect((await readdir(dir)).sort()).toEqual(['current', published.version].sort());
  });

  it('given a write that fails halfway, keeps the old index and removes the temporary folder', async () => {
    await writeAtomicDir(dir, (tmp) => writeBuild(tmp, 'old'));
    const before = (await readdir(dir)).sort();
    await expect(
      writeAtomicDir(dir, async (tmp) => {
        await writeFile(join(tmp, 'a.txt'), 'new:partial');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect((await readdir(dir)).sort()).toEqual(before);
    expect([...(await readAtomicDir(dir, readBuild)).value]).toEqual(['old']);
  });

  it('keeps the live version and one previous, removing older ones', async () => {
    const versions = [];
    for (const t of ['1', '2', '3', '4'])
      versions.push((await writeAtomicDir(dir, (tmp) => writeBuild(tmp, t))).version);
    const left = (await readdir(dir)).filter((n) => n.startsWith('v-')).sort();
    expect(left).toEqual([versions[2], versions[3]].sort());
  });

  it('removes temporary folders left by dead processes', async () => {
    await mkdir(dir, { recursive: true });
    await mkdir(join(dir, '.tmp-99999999-deadbeef'));
    await writeAtomicDir(dir, (tmp) => writeBuild(tmp, 'one'));
    expect(await readdir(dir)).not.toContain('.tmp-99999999-deadbeef');
  });

  it('given no folder, or a folder without an index, reports INDEX_MISSING', async () => {
    await expect(resolveIndexDir(dir)).rejects.toSatisfy((e) => isFootnoteError(e, 'INDEX_MISSING'));
    await mkdir(dir);
    await expect(readAtomicDir(dir, readBuild)).rejects.toSatisfy((e) => isFootnoteError(e, 'INDEX_MISSING'));
  });

  it('given a plain folder with a manifest and no pointer, reads it in place', async () => {
    await mkdir(dir);
    await writeFile(join(dir, 'manifest.json'), '{}');
    expect(await resolveIndexDir(dir)).toBe(dir);
  });

  it('given a corrupt pointer, reports INDEX_CORRUPT', async () => {
    await writeAtomicDir(dir, (tmp) => writeBuild(tmp, 'one'));
    await writeFile(join(dir, 'current'), '../../etc\n');
    await expect(resolveIndexDir(dir)).rejects.toSatisfy((e) => isFootnoteError(e, 'INDEX_CORRUPT'));
  });

  it('readers running during repeated rebuilds never observe a partial or mixed index', async () => {
    await writeAtomicDir(dir, (tmp) => writeBuild(tmp, 'b0'));
    let writing = true;
    const writer = (async () => {
      // keepPrevious 0 prunes aggressively, so readers also exercise the retry path.
      for (let i = 1; i <= 15; i++)
        await writeAtomicDir(dir, (tmp) => writeBuild(tmp, `b${i}`, 1), { keepPrevious: 0 });
      writing = false;
    })();
    const observed = new Set<string>();
    const reader = async (): Promise<void> => {
      while (writing) {
        const { value } = await readAtomicDir(
          dir,
          async (v) => {
            const tokens = await readBuild(v);
            await pause(1);
            return tokens;
          },
          10,
        );
        expect(value.size).toBe(1);
        for (const t of value) observed.add(t);
      }
    };
    await Promise.all([writer, reader(), reader(), reader()]);
    expect(observed.size).toBeGreaterThan(1);
    expect([...(await readAtomicDir(dir, readBuild)).value]).toEqual(['b15']);
  });
});
