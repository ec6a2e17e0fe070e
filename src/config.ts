import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { FootnoteError } from './errors.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');

/** Where each variable comes from, printed beside any problem with it. */
const HINTS: Record<string, string> = {
  DISCORD_TOKEN: 'Developer Portal → your application → Bot → Reset Token',
  DISCORD_APPLICATION_ID: 'Developer Portal → your application → General Information → Application ID',
  DISCORD_GUILD_ID:
    'Discord → User Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID',
  DISCORD_API_URL: 'leave unset to use Discord; set only for a REST proxy or a local test server',
  EMBEDDINGS:
    '"use" (Universal Sentence Encoder, English) or "ngram" (hashed character n-grams, any language)',
  MESSAGE_CONTENT_INTENT:
    'true only if Developer Portal → your application → Bot → Privileged Gateway Intents → Message Content is on',
  CORPUS_URL_TEMPLATE:
    'an http(s) URL with {path} (the document path in the corpus folder) and optionally {line}, {endLine}, {page}, e.g. https://github.com/OWNER/REPO/blob/main/docs/{path}#L{line}-L{endLine}',
  ANSWER_BUDGET_MS:
    'milliseconds (0–2500) an answer may take before /ask defers; keep well under Discord’s 3000',
};

const schema = z.object({
  DISCORD_TOKEN: z.string().min(50, 'looks too short for a bot token').optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url().optional(),
  CORPUS_DIR: z.string().min(1).default('corpus'),
  INDEX_DIR: z.string().min(1).default('data/index'),
  DATA_DIR: z.string().min(1).default('data'),
  EMBEDDINGS: z.enum(['use', 'ngram']).default('use'),
  /**
   * Where a citation links to: `{path}` (relative to CORPUS_DIR), `{line}`, `{endLine}`, `{page}` are filled per
   * citation. A document's front matter `url` takes precedence. Unset: citations stay text.
   */
  CORPUS_URL_TEMPLATE: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL without spaces')
    .refine((v) => v.includes('{path}'), 'must contain {path}')
    .optional(),
  /** Probability that the documents answer below which the engine says they do not (default: the answer model's). */
  ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  THREAD_AUTO_ANSWER: bool.default(true),
  /** Ask for the privileged Message Content intent (thread auto-answer and reply follow-ups without a ping need it). */
  MESSAGE_CONTENT_INTENT: bool.default(true),
  /** Answers ready this many ms after an interaction's creation go out in the first response; later ones defer. */
  ANSWER_BUDGET_MS: z.coerce.number().int().min(0).max(2500).default(1500),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(0).default(6),
  RATE_LIMIT_CHANNEL_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Replies a watched channel may get from the bot in any hour (0 = no limit); reactions are not counted. */
  WATCH_REPLIES_PER_HOUR: z.coerce.number().int().min(0).default(6),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

/** The validated configuration. Built once; the only place that reads `process.env`. */
export type Config = Readonly<z.infer<typeof schema>>;

/** The configuration with the Discord variables the bot cannot start without. */
export type BotConfig = Config & { readonly DISCORD_TOKEN: string; readonly DISCORD_APPLICATION_ID: string };

/**
 * Reads `.env` (if present) and the environment and validates them.
 * Throws CONFIG_INVALID naming every bad variable, where to get it, and never echoing its value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = readEnv()): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const hint = HINTS[name];
      return `  ${name}: ${issue.message}${hint ? ` (${hint})` : ''}`;
    });
    throw new FootnoteError(
      'CONFIG_INVALID',
      `Invalid configuration in the environment or .env:\n${lines.join('\n')}`,
    );
  }
  return Object.freeze(parsed.data);
}

/** Narrows a Config to a BotConfig, or throws CONFIG_INVALID naming each missing variable and where to get it. */
export function requireBotConfig(config: Config): BotConfig {
  const missing = (['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'] as const).filter(
    (k) => config[k] === undefined,
  );
  if (missing.length > 0) {
    const lines = missing.map((k) => `  ${k} is not set (${HINTS[k]})`);
    throw new FootnoteError(
      'CONFIG_INVALID',
      `The bot cannot start without:\n${lines.join('\n')}\nCopy .env.example to .env and fill it in.`,
    );
  }
  return config as BotConfig;
}

function readEnv(): NodeJS.ProcessEnv {
  loadDotenv({ quiet: true });
  return process.env;
}
