/**
 * Error descriptions for log lines, with the bot token and the interaction and webhook tokens that discord.js puts
 * in its error messages removed.
 */

/**
 * Removes secrets from text before it is logged: the bot token wherever it appears, and the interaction and
 * webhook tokens inside Discord URLs (which discord.js puts in error messages).
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out
    .replace(/(\/interactions\/\d+\/)[^/\s?"']+/g, '$1[token]')
    .replace(/(\/webhooks\/\d+\/)[^/\s?"']+/g, '$1[token]');
}

/** A loggable description of an error: type, Discord code and status, message and stack, all scrubbed. */
export function describeError(err: unknown, secrets: readonly string[]): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrub(String(err), secrets) };
  const extra = err as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown };
  return {
    type: err.name,
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(typeof extra.status === 'number' ? { status: extra.status } : {}),
    ...(typeof extra.method === 'string' ? { method: extra.method } : {}),
    ...(typeof extra.url === 'string' ? { url: scrub(extra.url, secrets) } : {}),
    message: scrub(err.message, secrets),
    ...(err.stack !== undefined ? { stack: scrub(err.stack, secrets) } : {}),
  };
}
