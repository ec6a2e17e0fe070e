import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run eval` as a user runs it (`node --import tsx src/cli/eval.ts`), for the faults it reports before any
 * index is built. The eval itself is tested in tests/eval (scoring, pooling) and gated there (eval.test.ts).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'footnote-eval-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function runEval(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const name of ['PATH', 'HOME', 'TMPDIR', 'SystemRoot'])
      if (process.env[name] !== undefined) env[name] = process.env[name];
    const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'cli', 'eval.ts'), ...args], {
      cwd: ROOT,
      env: { ...env, DATA_DIR: join(tmp, 'data'), EMBEDDINGS: 'ngram', NO_COLOR: '1' },
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

function expectOneMessage(r: Run): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/unexpected error/i);
}

describe('npm run eval with bad arguments', () => {
  it('given --set without "=", exits 1 saying to write QUESTIONS.jsonl=CORPUS_FOLDER', async () => {
    const r = await runEval(['--set', '../shared/eval/dev.jsonl']);
    expectOneMessage(r);
    expect(r.stderr).toContain('--set needs QUESTIONS.jsonl=CORPUS_FOLDER');
    expect(r.stderr).toContain('"../shared/eval/dev.jsonl"');
  });

  it('given a question file and a corpus folder that do not exist, exits 1 naming both, before building anything', async () => {
    const r = await runEval(['--set', `${join(tmp, 'missing.jsonl')}=${join(tmp, 'no-corpus')}`]);
    expectOneMessage(r);
    expect(r.stderr).toContain(`question file ${join(tmp, 'missing.jsonl')}`);
    expect(r.stderr).toContain(`corpus folder ${join(tmp, 'no-corpus')}`);
    expect(r.stderr).not.toMatch(/building/i);
  });

  it('given --help, prints the usage with the --set form', async () => {
    const r = await runEval(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--set QUESTIONS\.jsonl=FOLDER/);
  });
});
