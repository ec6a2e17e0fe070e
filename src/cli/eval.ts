import { loadConfig } from '../config.js';
import { EVAL_HELP, evalRunJson, formatEvalRun, parseEvalArgs, runEvalSets } from '../eval/eval-sets.js';
import { runCli } from './common.js';
import { createProgressReporter } from './progress.js';

await runCli(async () => {
  const config = loadConfig();
  const args = parseEvalArgs(process.argv.slice(2), config.CORPUS_DIR);
  if (args.help) {
    console.log(EVAL_HELP);
    return 0;
  }
  const progress = createProgressReporter();
  let run;
  try {
    // One index per corpus under DATA_DIR/eval; the same engine settings (and ANSWER_THRESHOLD) for every corpus.
    run = await runEvalSets(args.sets, {
      dataDir: config.DATA_DIR,
      embeddings: config.EMBEDDINGS,
      ...(config.ANSWER_THRESHOLD !== undefined ? { answerThreshold: config.ANSWER_THRESHOLD } : {}),
      onProgress: progress.update,
      log: progress.log,
    });
  } finally {
    progress.stop();
  }
  if (args.json) {
    console.log(JSON.stringify(evalRunJson(run), null, 2));
    return 0;
  }
  const questions = run.sets.reduce((n, s) => n + s.report.items.length, 0);
  console.log(
    `Eval: ${run.sets.length} set${run.sets.length === 1 ? '' : 's'}, ${questions} questions, embeddings: ${run.model}\n`,
  );
  console.log(formatEvalRun(run, args.verbose));
  return 0;
});
