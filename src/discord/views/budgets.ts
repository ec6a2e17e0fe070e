/**
 * Discord's limits on a message, and every size budget the views work within, in one place.
 * A view's parts are sized from these; `finish` (reply.ts) checks the limits again as a last resort.
 */

/** Discord's limits (discord.com/developers/docs/resources/message#embed-object-embed-limits, components). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  label: 80,
  customId: 100,
} as const;

/** Characters each part of a view may use (JavaScript string length, escapes included). */
export const BUDGET = {
  /** A question, query, topic or term shown as an embed title. */
  title: 200,
  /** The quoted answer on an answer card: the sentence(s) the engine quotes. */
  answer: 1200,
  /** "Closest passage" under a refusal: a few lines. */
  closest: 320,
  /** A citation's visible text, `Title › Section`, cut on a word (the "about 60"). */
  citation: 60,
  /** A document title in a group header (/lookup, /search, /brief, /docs). */
  docTitle: 90,
  /** Footer notes. */
  notes: 400,
  /** A `/brief` key sentence: cut only past this, on a word. */
  briefSentence: 300,
  /** A `/search` excerpt around its matching sentence. */
  searchExcerpt: 420,
  /** "More sources": each excerpt. */
  moreExcerpt: 700,
  /** "Full passage": the passage, and the end / start of its neighbours. */
  fullPassage: 2400,
  neighbour: 600,
  /** `/source`: one passage. */
  sourcePassage: 3500,
  /** A `/lookup` sentence. */
  lookupSentence: 280,
  /** `/docs`: the list. */
  docsList: 3800,
  /** Find source: the deciding quote when the message makes one claim, and each quote when it makes several. */
  claimQuote: 900,
  claimQuoteEach: 280,
  /** A claim shown as written, shortened (Find source with several claims, `/check`). */
  claimText: 110,
  /** A value in "the documents say **X**, not Y". */
  claimValue: 80,
  /** Find source and `/check`: the blocks of claims together; the rest is counted in one "…and N more" line. */
  claimList: 3700,
  /** A watched channel's reply: the quote (the reply stays short). */
  watchQuote: 300,
} as const;

/** Embed colours: answered, answered with low confidence, refused / nothing found, information. */
export const COLOR = {
  answer: 0x2f9e44,
  low: 0xf08c00,
  refused: 0x868e96,
  info: 0x1c7ed6,
  /** A claim the documents contradict. */
  contradicted: 0xe03131,
} as const;

/** Below this calibrated confidence an answer is marked "low confidence" (amber, with the word). */
export const LOW_CONFIDENCE = 0.6;

/** Hits shown per `/lookup` page. */
export const LOOKUP_PAGE_SIZE = 8;
