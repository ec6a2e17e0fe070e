import cliProgress from 'cli-progress';
import type { BuildProgress } from '../index/build-index.js';

/** Shows index-build progress on stderr: a bar on a terminal, a line per phase elsewhere (CI logs). */
export interface ProgressReporter {
  readonly update: (event: BuildProgress) => void;
  readonly log: (message: string) => void;
  readonly stop: () => void;
}

/**
 * cli-progress draws the bar: it is maintained, small, and handles terminal width and redraw throttling,
 * which a hand-written bar would get wrong.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let phase: string | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    update(event) {
      if (!stream.isTTY) {
        if (event.phase !== phase && event.total > 0) stream.write(`${event.label}: ${event.total}\n`);
        phase = event.phase;
        return;
      }
      if (event.phase !== phase) {
        stop();
        phase = event.phase;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${event.label.padEnd(22)} [{bar}] {value}/{total} {percentage}% | {duration_formatted}`,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.total, event.done);
      }
      bar?.update(event.done);
    },
    log(message) {
      stop();
      stream.write(`${message}\n`);
    },
    stop,
  };
}
