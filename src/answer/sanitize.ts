/** Longest question the engine reads, in characters (Discord's own message limit). */
export const MAX_QUESTION_CHARS = 2000;

/** A question made safe to search, with notes on what was changed. */
export interface CleanQuestion {
  readonly text: string;
  readonly notes: string[];
}

// C0/C1 controls except tab and newline, bidi overrides and isolates, zero-width characters, and ANSI escapes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Strips control characters, ANSI escapes and direction overrides, folds whitespace and cuts the
 * question to {@link MAX_QUESTION_CHARS} (with a note). Never throws, whatever the text.
 */
export function cleanQuestion(raw: string): CleanQuestion {
  const notes: string[] = [];
  let text = raw.normalize('NFC').replace(ANSI, ' ').replace(CONTROL, '');
  text = text.replace(/\s+/g, ' ').trim();
  if (text.length > MAX_QUESTION_CHARS) {
    let cut = MAX_QUESTION_CHARS;
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    text = text.slice(0, cut).trimEnd();
    notes.push(
      `The question was longer than ${MAX_QUESTION_CHARS.toLocaleString('en')} characters; only the first ${MAX_QUESTION_CHARS.toLocaleString('en')} were read.`,
    );
  }
  return { text, notes };
}

/** The usage line given for an empty or blank question. */
export const USAGE =
  "Ask a question in plain words about the documents, for example: What was agreed in 2013? (An empty question can't be searched.)";
