import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBenchTable } from '../bench/bench.js';
import { questionsFromCorpus } from '../bench/corpus-questions.js';
import { corpusEngineSections, runBench } from '../bench/engine-bench.js';
import { sections } from '../bench/sections.js';
import { loadConfig } from '../config.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import { corpusIndexDir } from '../eval/corpus-engine.js';
import type { EmbeddingsKind } from '../embeddings/create-embeddings.js';
import { FootnoteError } from '../errors.js';
import { readBatchFile } from './batch.js';
import { runCli } from './common.js';

const HELP = `Usage:
  npm run bench                            cold start, warm latency, ingest and memory with the configured embeddings
  npm run bench -- --embeddings ngram      another embeddings kind; "use,ngram" runs both
  npm run bench -- --questions 400         warm questions to time (default 240, at least 200 for a useful p99)
  npm run bench -- --json                  the figures as JSON on stdout (progress stays on stderr)
  npm run bench -- --keep                  keep the scratch index folders
  npm run bench -- --quick                 skip the Discord section's 60 s sustained-rate run (the rate search stays)
  npm run bench -- --corpus DIR            the engine sections on another corpus, with the eval's index of it
                                           (DATA_DIR/eval/<slug>/index: built once, then reused); questions drawn
                                           from its headings and paragraphs' first sentences; no Discord section
  npm run bench -- --questions-from FILE   time the questions of a JSON-lines file ({"id", "question"} a line,
                                           e.g. an eval set) instead`;

/** The project folder: child processes (`npx tsx src/cli/ask.ts`) run from there. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      embeddings: { type: 'string' },
      questions: { type: 'string', default: '240' },
      json: { type: 'boolean' },
      keep: { type: 'boolean' },
      quick: { type: 'boolean' },
      corpus: { type: 'string' },
      'questions-from': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();
  const kinds = (values.embeddings ?? config.EMBEDDINGS).split(',').map((k) => k.trim());
  const bad = kinds.filter((k) => k !== 'use' && k !== 'ngram');
  if (bad.length > 0)
    throw new FootnoteError(
      'INPUT_INVALID',
      `Unknown embeddings ${bad.join(', ')}: use "use", "ngram" or "use,ngram".`,
    );
  const questions = Number(values.questions);
  if (!Number.isInteger(questions) || questions < 1) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `--questions needs a positive whole number, not "${values.questions}".`,
    );
  }
  const corpusDir = values.corpus === undefined ? undefined : resolve(values.corpus);
  let baseQuestions: { questions: string[]; source: string } | undefined;
  if (values['questions-from'] !== undefined) {
    const file = values['questions-from'];
    baseQuestions = { questions: (await readBatchFile(file)).map((q) => q.question), source: file };
  } else if (corpusDir !== undefined) {
    const drawn = questionsFromCorpus(await loadCorpus(corpusDir));
    baseQuestions = {
      questions: drawn,
      source: `${drawn.length} headings and first sentences of ${values.corpus}`,
    };
  }
  if (baseQuestions?.questions.length === 0) {
    throw new FootnoteError(
      'INPUT_INVALID',
      `No questions in ${baseQuestions.source}: pass --questions-from FILE with {"id", "question"} lines.`,
    );
  }
  const report = await runBench({
    root: ROOT,
    corpusDir: corpusDir ?? resolve(config.CORPUS_DIR),
    kinds: kinds as EmbeddingsKind[],
    questions,
    // On another corpus: the eval's index of it and the engine sections only (the Discord section stays on the
    // bundled corpus, in a plain `npm run bench`).
    sections: corpusDir === undefined ? sections : corpusEngineSections,
    ...(corpusDir === undefined
      ? {}
      : {
          index: {
            indexDir: resolve(corpusIndexDir(corpusDir, config.DATA_DIR)),
            dataDir: resolve(config.DATA_DIR),
          },
        }),
    ...(baseQuestions ? { baseQuestions, coldQuestion: baseQuestions.questions[0]! } : {}),
    keep: values.keep ?? false,
    quick: values.quick ?? false,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(
    `\nFootnote bench: ${report.startedAt}, Node ${report.node}, ${report.platform}, ${report.cpus} CPUs`,
  );
  console.log(`Questions: ${report.questionSource}\n`);
  console.log(formatBenchTable(report.results));
  return 0;
});
