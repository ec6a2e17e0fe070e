import type { AnswerResult, Source } from '../answer/types.js';
import { USAGE } from '../answer/sanitize.js';

/** The answer, its quoted source and location, readable in a terminal (bold via ANSI only on a TTY). */
export function formatForTerminal(result: AnswerResult, tty: boolean): string {
  const bold = (s: string) => (tty ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string) => (tty ? `\u001b[2m${s}\u001b[22m` : s);
  const out: string[] = [];
  for (const note of result.notes) out.push(dim(`Note: ${note}`));
  const [first, ...others] = result.sources;
  if (!result.answered) {
    out.push(result.reason === 'empty' ? USAGE : bold('The documents do not answer this question.'));
    if (first)
      out.push(
        '',
        'Closest passage (it does not answer the question):',
        citation(first),
        indent(first.excerpt),
      );
    return out.join('\n');
  }
  out.push(bold('Answer'), indent(`“${answerWithPhrase(result.answer, first, bold)}”`), '');
  if (first) {
    out.push(`Source: ${citation(first)}`);
    const h = first.highlight;
    const excerpt = h
      ? first.excerpt.slice(0, h.start) +
        bold(first.excerpt.slice(h.start, h.end)) +
        first.excerpt.slice(h.end)
      : first.excerpt;
    out.push(indent(excerpt));
  }
  if (others.length > 0) {
    out.push('', 'Other passages:');
    for (const s of others) out.push(`  - ${citation(s)}`);
  }
  return out.join('\n');
}

/**
 * The answer with its answering phrase (`phrase`, offsets in the excerpt inside `highlight`) in bold, when the
 * answer is the highlighted text of the first source; the answer as it is otherwise.
 */
function answerWithPhrase(answer: string, first: Source | undefined, bold: (s: string) => string): string {
  const h = first?.highlight;
  const p = first?.phrase;
  if (!first || !h || !p || first.excerpt.slice(h.start, h.end) !== answer) return answer;
  if (p.start < h.start || p.end > h.end || p.end <= p.start) return answer;
  const a = p.start - h.start;
  const b = p.end - h.start;
  return answer.slice(0, a) + bold(answer.slice(a, b)) + answer.slice(b);
}

function citation(s: Source): string {
  const lines = s.lines[0] === s.lines[1] ? `line ${s.lines[0]}` : `lines ${s.lines[0]}–${s.lines[1]}`;
  return `${s.title}${s.section ? ` › ${s.section}` : ''} (${s.doc}, ${lines})`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
