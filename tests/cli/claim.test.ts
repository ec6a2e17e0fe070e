import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm run claim` as a user runs it: `src/cli/claim.ts` in a child process, the bundled corpus, USE embeddings. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'footnote-claim-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function claim(args: readonly string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR'])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'cli', 'claim.ts'), ...args], {
      cwd: ROOT,
      env: {
        ...env,
        CORPUS_DIR: join(ROOT, 'corpus'),
        INDEX_DIR: join(tmp, 'index'),
        DATA_DIR: tmp,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run claim', () => {
  it('given a contradicted statement, prints both values, the quote and where it stands', async () => {
    const r = await claim(['In 2009, CNPC acquired a 30% stake in MangistauMunaiGas.']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Contradicted');
    expect(r.stdout).toContain('the documents say 50%, not 30%');
    expect(r.stdout).toMatch(/Source: .*\(kazakh-chinese-relations\.txt, lines? \d+/);
  }, 180_000);

  it('given --json, prints the result object', async () => {
    const r = await claim(['--json', 'Hello! In 2009, CNPC acquired a 50% stake in MangistauMunaiGas.']);
    expect(r.code).toBe(0);
    const check = JSON.parse(r.stdout) as { claims: { verdict: string }[]; skipped: { reason: string }[] };
    expect(check.claims.map((c) => c.verdict)).toEqual(['supported']);
    expect(check.skipped).toEqual([{ text: 'Hello!', reason: 'greeting' }]);
  }, 180_000);

  it('given --batch, prints one line per claim with the fields of the batch format, loading once', async () => {
    const file = join(tmp, 'claims.jsonl');
    await writeFile(
      file,
      [
        { id: 'a', claim: 'In 2009, CNPC acquired a 50% stake in MangistauMunaiGas.' },
        { id: 'b', claim: 'In 2009, CNPC acquired a 30% stake in MangistauMunaiGas.' },
        { id: 3, claim: 'Kazakhstan exported 3 million tons of wheat to China in 2021.' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const r = await claim(['--batch', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['id'], l['verdict']])).toEqual([
      ['a', 'supported'],
      ['b', 'contradicted'],
      ['3', 'not_found'],
    ]);
    expect(lines[1]?.['mismatch']).toEqual({ claimed: '30%', documented: '50%' });
    for (const l of lines) {
      expect(typeof l['confidence']).toBe('number');
      const sources = l['sources'] as Record<string, unknown>[];
      expect(sources.length).toBeGreaterThan(0);
      expect(Object.keys(sources[0]!).sort()).toEqual([
        'doc',
        'end',
        'excerpt',
        'score',
        'section',
        'start',
        'title',
      ]);
    }
  }, 180_000);

  it('given nothing to check, prints usage and exits 2', async () => {
    const r = await claim([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('npm run claim');
  });

  it('given a batch file with a bad line, names the line and exits 1', async () => {
    const file = join(tmp, 'bad.jsonl');
    await writeFile(file, '{"id": 1, "claim": "ok"}\nnot json\n');
    const r = await claim(['--batch', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2`);
  });
});
