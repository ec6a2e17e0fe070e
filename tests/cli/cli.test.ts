import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The command line as a user runs it: `src/cli/ask.ts` and `src/cli/ingest.ts` in child processes
 * under the tsx loader that `npx tsx` and `npm run ask` use. Started as `node --import tsx` rather than
 * through npx and the tsx launcher: the same program, one process instead of three, and npm's own
 * notices stay out of stderr. The n-gram embeddings and every index in a temporary folder.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS_DIR = join(ROOT, 'corpus');
const EXPORTS_2023 = 'What did Kazakhstan’s exports to China total in 2023?';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment of a child: the variables Footnote reads are set here, never inherited from the caller. */
function childEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'SystemRoot'])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, EMBEDDINGS: 'ngram', CORPUS_DIR, NO_COLOR: '1', ...vars };
}

function run(script: 'ask' | 'ingest', args: readonly string[], vars: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'cli', `${script}.ts`), ...args], {
      cwd: ROOT,
      env: childEnv(vars),
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

/** No stack trace and no "unexpected error": faults reach the user as one message. */
function expectNoStackTrace(r: Run): void {
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/unexpected error/i);
}

let tmp: string;
/** The shared index: built by the first `ask` in beforeAll. */
let env: Record<string, string>;
let firstAsk: Run;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'footnote-cli-'));
  env = { INDEX_DIR: join(tmp, 'index'), DATA_DIR: join(tmp, 'data') };
  firstAsk = await run('ask', ['--json', EXPORTS_2023], env);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('ask on a fresh clone', () => {
  it('given no index yet, builds it first (saying so on stderr) and answers', async () => {
    expect(firstAsk.code).toBe(0);
    expect(firstAsk.stderr).toMatch(/No index at .* building it/);
    expect((await stat(join(env.INDEX_DIR!, 'current'))).isFile()).toBe(true);
    expect(JSON.parse(firstAsk.stdout)).toMatchObject({ answered: true });
  });
});

describe('ask --json', () => {
  it('given a question, prints one JSON result with answered, answer and fully described sources', () => {
    const result = JSON.parse(firstAsk.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ answered: true, question: EXPORTS_2023 });
    expect(result['answer']).toContain('$13.16 billion');
    const sources = result['sources'] as Record<string, unknown>[];
    expect(sources.length).toBeGreaterThanOrEqual(1);
    for (const source of sources) {
      const types = Object.fromEntries(
        ['doc', 'title', 'section', 'start', 'end', 'excerpt', 'score'].map((k) => [k, typeof source[k]]),
      );
      expect(types).toEqual({
        doc: 'string',
        title: 'string',
        section: 'string',
        start: 'number',
        end: 'number',
        excerpt: 'string',
        score: 'number',
      });
      const lines = source['lines'] as unknown[];
      expect(lines).toHaveLength(2);
      expect(lines.every((n) => Number.isInteger(n))).toBe(true);
      expect(source).toHaveProperty('highlight');
    }
    const first = sources[0]!;
    const highlight = first['highlight'] as { start: number; end: number };
    expect((first['excerpt'] as string).slice(highlight.start, highlight.end)).toBe(result['answer']);
  });

  it('given an off-corpus question, prints answered: false with the closest passage', async () => {
    const r = await run('ask', ['--json', 'Who won the 2018 FIFA World Cup?'], env);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { answered: boolean; answer: string; sources: unknown[] };
    expect(result.answered).toBe(false);
    expect(result.answer).toBe('');
    expect(result.sources.length).toBeGreaterThanOrEqual(1);
    // An existing, fresh index is used as it is.
    expect(r.stderr).not.toMatch(/building|Rebuilding/i);
  });
});

describe('ask (terminal output)', () => {
  it('given a question, prints the answer, the quoted source and its location without ANSI codes when not on a terminal', async () => {
    const r = await run('ask', [EXPORTS_2023], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('In 2023, Kazakhstan’s exports to China totaled $13.16 billion.');
    expect(r.stdout).toMatch(/Source: .*\(kazakh-chinese-relations\.txt, lines? \d+/);
    expect(r.stdout).not.toContain('\u001b[');
  });
});

describe('ask --batch', () => {
  it('given a JSONL file of 3 questions (English, Russian, off-corpus), prints exactly 3 JSON lines of the batch shape', async () => {
    const file = join(tmp, 'questions.jsonl');
    const questions = [
      { id: 'en', question: EXPORTS_2023 },
      { id: 'ru', question: 'Какими экономиками являются Китай и Казахстан в XXI веке?' },
      { id: 7, question: 'Who won the 2018 FIFA World Cup?' },
    ];
    await writeFile(file, `${questions.map((q) => JSON.stringify(q)).join('\n')}\n`);
    const r = await run('ask', ['--batch', file], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of parsed) {
      expect(Object.keys(line).sort()).toEqual(['answer', 'answered', 'id', 'question', 'sources']);
      const sources = line['sources'] as Record<string, unknown>[];
      expect(sources.length).toBeGreaterThanOrEqual(1);
      for (const source of sources) {
        expect(Object.keys(source).sort()).toEqual([
          'doc',
          'end',
          'excerpt',
          'score',
          'section',
          'start',
          'title',
        ]);
      }
    }
    expect(parsed.map((l) => l['id'])).toEqual(['en', 'ru', '7']);
    expect(parsed.map((l) => l['answered'])).toEqual([true, true, false]);
    expect(parsed[1]!['answer']).toContain('Китай и Казахстан в XXI веке');
  });

  it('given a batch file with a line that is not JSON, exits 1 naming the line, without a stack trace', async () => {
    const file = join(tmp, 'bad.jsonl');
    await writeFile(file, '{"id":"a","question":"CNPC"}\nnot json\n');
    const r = await run('ask', ['--batch', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2/);
    expect(r.stdout).toBe('');
    expectNoStackTrace(r);
  });
});

describe('ask with bad input', () => {
  for (const [name, args] of [
    ['no question', []],
    ['an empty question', ['']],
    ['a blank question', ['   ']],
  ] as const) {
    it(`given ${name}, prints the usage on stderr and exits non-zero`, async () => {
      const r = await run('ask', args, env);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Usage:/);
      expect(r.stderr).toMatch(/npm run ask -- "your question"/);
      expect(r.stdout).toBe('');
    });
  }
});

describe('ingest', () => {
  it('given a fresh index folder and cache, builds and summarises; run again, reports it up to date with every embedding reused', async () => {
    const fresh = { INDEX_DIR: join(tmp, 'ingest-index'), DATA_DIR: join(tmp, 'ingest-data') };
    const summary =
      /Index (built|already up to date) in .*: (\d+) documents, (\d+) passages, (\d+) embeddings computed, (\d+) reused \(ngram-2048-v1\), [\d.]+ s\./;

    const first = await run('ingest', [], fresh);
    expect(first.code).toBe(0);
    const [, state1, docs1, passages1, computed1, reused1] = summary.exec(first.stdout) ?? [];
    expect(state1).toBe('built');
    expect(Number(docs1)).toBe(2);
    expect(Number(passages1)).toBeGreaterThan(100);
    expect(Number(computed1)).toBe(Number(passages1));
    expect(Number(reused1)).toBe(0);

    const second = await run('ingest', [], fresh);
    expect(second.code).toBe(0);
    const [, state2, docs2, passages2, computed2, reused2] = summary.exec(second.stdout) ?? [];
    expect(state2).toBe('already up to date');
    expect([Number(docs2), Number(passages2)]).toEqual([2, Number(passages1)]);
    expect(Number(computed2)).toBe(0);
    expect(Number(reused2)).toBe(Number(passages1));
  });

  it('given --force with a warm cache, rebuilds and reuses every embedding', async () => {
    const r = await run('ingest', ['--force'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Index built in .*: 2 documents, (\d+) passages, 0 embeddings computed, \1 reused/,
    );
  });
});

describe('a corpus file that is not UTF-8', () => {
  let corpus: string;
  beforeAll(async () => {
    corpus = join(tmp, 'latin1-corpus');
    await cp(CORPUS_DIR, corpus, { recursive: true });
    // "Qazaqstan – café" in Windows-1252: 0x96 and 0xE9 are not valid UTF-8 here.
    await writeFile(
      join(corpus, 'notes-1252.txt'),
      Buffer.from([0x51, 0x61, 0x7a, 0x20, 0x96, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
    );
  });

  it('given ingest, builds from the good documents, exits 0 and lists the bad file with the encoding and the fix', async () => {
    const r = await run('ingest', [], {
      CORPUS_DIR: corpus,
      INDEX_DIR: join(tmp, 'latin1-index'),
      DATA_DIR: join(tmp, 'data'),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Index built .*: 2 documents/);
    expect(r.stdout).toMatch(
      /1 file skipped:\n.*notes-1252\.txt is not valid UTF-8.*Windows-1252.*iconv -f cp1252/,
    );
    expectNoStackTrace(r);
  });

  it('given ask, warns naming the file and answers from the index it has', async () => {
    const r = await run('ask', ['--json', EXPORTS_2023], {
      CORPUS_DIR: corpus,
      INDEX_DIR: join(tmp, 'latin1-index'),
      DATA_DIR: join(tmp, 'data'),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /Warning: Corpus file notes-1252\.txt is not valid UTF-8.*Skipped notes-1252\.txt/,
    );
    expect(r.stderr).not.toMatch(/Rebuilding|building it/);
    expect(JSON.parse(r.stdout)).toMatchObject({ answered: true });
    expectNoStackTrace(r);
  });

  it('given `npm run ingest --force` (npm sets npm_config_force instead of passing --force), rebuilds', async () => {
    const r = await run('ingest', [], {
      CORPUS_DIR: corpus,
      INDEX_DIR: join(tmp, 'latin1-index'),
      DATA_DIR: join(tmp, 'data'),
      npm_config_force: 'true',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Index built/);
    expect(r.stdout).not.toMatch(/already up to date/);
  });
});

describe('a changed corpus', () => {
  it('given a document edited after the index was built, ask rebuilds the index by itself and answers from the new text', async () => {
    const corpus = join(tmp, 'changing-corpus');
    await cp(CORPUS_DIR, corpus, { recursive: true });
    const vars = { CORPUS_DIR: corpus, INDEX_DIR: join(tmp, 'changing-index'), DATA_DIR: join(tmp, 'data') };
    expect((await run('ingest', [], vars)).code).toBe(0);
    const file = join(corpus, 'kazakh-chinese-relations.txt');
    await writeFile(
      file,
      `${await readFile(file, 'utf8')}\nThe Zhetysu camel festival drew 9,412 visitors in 2024.\n`,
    );
    const r = await run('ask', ['--json', 'How many visitors did the Zhetysu camel festival draw?'], vars);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Rebuilding the index: the corpus changed/);
    expect((JSON.parse(r.stdout) as { answer: string }).answer).toContain('9,412 visitors');
  });
});

describe('a corrupt index', () => {
  const vars = () => ({ INDEX_DIR: join(tmp, 'corrupt-index'), DATA_DIR: join(tmp, 'data') });
  const hnswFile = async () => {
    const dir = vars().INDEX_DIR;
    return join(dir, (await readFile(join(dir, 'current'), 'utf8')).trim(), 'hnsw.bin');
  };

  beforeAll(async () => {
    expect((await run('ingest', [], vars())).code).toBe(0);
    await truncate(await hnswFile(), 100);
  });

  it('given a truncated hnsw.bin, ask refuses with exit 1 and says to run `npm run ingest`, without a stack trace', async () => {
    const r = await run('ask', ['What is the SCO?'], vars());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hnsw\.bin .*truncated or damaged/);
    expect(r.stderr).toContain('npm run ingest');
    expect(r.stdout).toBe('');
    expectNoStackTrace(r);
  });

  it('given the same truncated index, `ingest` (without --force) rebuilds it and ask answers again', async () => {
    const ingest = await run('ingest', [], vars());
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/Index built in/);
    const ask = await run('ask', ['--json', EXPORTS_2023], vars());
    expect(ask.code).toBe(0);
    expect((JSON.parse(ask.stdout) as { answered: boolean }).answered).toBe(true);
  });

  it('given a same-size hnsw.bin with changed bytes, ask refuses with a checksum message and the command to run', async () => {
    const file = await hnswFile();
    const bytes = await readFile(file);
    bytes.fill(0xff, 1000, 1100);
    await writeFile(file, bytes);
    const r = await run('ask', ['What is the SCO?'], vars());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checksum/);
    expect(r.stderr).toContain('npm run ingest');
    expectNoStackTrace(r);
  });

  it('given a garbage `current` pointer, ask refuses and says to run `npm run ingest`', async () => {
    await writeFile(join(vars().INDEX_DIR, 'current'), 'not a version\n');
    const r = await run('ask', ['What is the SCO?'], vars());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('npm run ingest');
    expectNoStackTrace(r);
  });
});
