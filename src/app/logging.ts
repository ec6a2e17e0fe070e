import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** Paths pino blanks in every log line, should a token ever be handed to a logger by mistake. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'DISCORD_TOKEN',
  '*.DISCORD_TOKEN',
  'config.DISCORD_TOKEN',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

/**
 * The process logger: JSON lines (pino) at `level`, with token-bearing paths redacted. The configuration object
 * itself is never logged.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'footnote' } };
  return destination ? pino(options, destination) : pino(options);
}
