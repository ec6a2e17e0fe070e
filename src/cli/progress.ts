import cliProgress from 'cli-progress';
import type { BuildProgress, FormatCount } from '../index/build-index.js';

/** Shows index-build progress on stderr: a bar on a terminal, a line per phase elsewhere (CI logs). */
export interface ProgressReporter {
  readonly update: (event: BuildProgress) => void;
  readonly log: (message: string) => void;
  readonly stop: () => void;
}

/** Without a terminal, a line of embedding progress at most this often. */
const LOG_EVERY_MS = 10_000;

/** "pdf 2 docs 41 passages, md 1 doc 12 passages". */
export function describeFormats(formats: Readonly<Record<string, FormatCount>> | undefined): string {
  if (!formats) return '';
  return Object.entries(formats)
    .map(([f, c]) => `${f} ${c.documents} doc${c.documents === 1 ? '' : 's'} ${c.passages} passages`)
    .join(', ');
}

/** "1 h 02 min", "3 min 05 s", "12 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** Rate and time left of a phase, from when its first event arrived (cache hits at the start do not count). */
class Pace {
  private readonly startedAt = performance.now();
  constructor(private readonly startDone: number) {}

  /** Items per second, 0 before there is a measure. */
  rate(done: number): number {
    const seconds = (performance.now() - this.startedAt) / 1000;
    return seconds > 0.2 && done > this.startDone ? (done - this.startDone) / seconds : 0;
  }

  /** Seconds left, Infinity before there is a measure. */
  left(done: number, total: number): number {
    const rate = this.rate(done);
    return rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  }
}

/**
 * cli-progress draws the bar: it is maintained, small, and handles terminal width and redraw throttling,
 * which a hand-written bar would get wrong. Reading shows the file being read; cutting passages and embedding
 * show documents and passages per format; embedding shows its rate and the time left.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let phase: string | undefined;
  let pace = new Pace(0);
  let lastLog = 0;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const payload = (event: BuildProgress): Record<string, string> => {
    const formats = describeFormats(event.formats);
    if (event.phase !== 'embed') {
      return { detail: event.phase === 'read' ? event.label.replace(/^Reading /u, '') : formats };
    }
    const rate = pace.rate(event.done);
    const left =
      event.done >= event.total ? 'done' : `${formatDuration(pace.left(event.done, event.total))} left`;
    return { detail: `${rate > 0 ? `${rate.toFixed(0)}/s, ` : ''}${left} | ${formats}` };
  };
  return {
    update(event) {
      if (event.phase !== phase) {
        stop();
        phase = event.phase;
        pace = new Pace(event.done);
        lastLog = performance.now();
        const title =
          event.phase === 'read'
            ? 'Reading documents'
            : event.phase === 'split'
              ? 'Cutting passages'
              : event.label;
        if (!stream.isTTY) {
          if (event.total > 0) stream.write(`${title}: ${event.total}\n`);
        } else {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `${title.padEnd(22)} [{bar}] {value}/{total} {percentage}% | {detail}`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(event.total, event.done, payload(event));
        }
      }
      if (bar) {
        bar.update(event.done, payload(event));
      } else if (
        event.phase === 'embed' &&
        performance.now() - lastLog >= LOG_EVERY_MS &&
        event.done < event.total
      ) {
        lastLog = performance.now();
        stream.write(`  ${event.done}/${event.total} passages embedded, ${payload(event).detail}\n`);
      }
    },
    log(message) {
      stop();
      stream.write(`${message}\n`);
    },
    stop,
  };
}
