/**
 * The text of a message to check as claims: its content, or (a message another bot posted as an embed) the
 * embeds' titles and descriptions; Discord's mention, channel and custom-emoji tokens removed, since they are not
 * words of the claim.
 */
export function claimTextOf(message: {
  readonly content: string;
  readonly embeds: readonly { readonly title: string | null; readonly description: string | null }[];
}): string {
  const text =
    message.content.trim() ||
    message.embeds.map((e) => [e.title, e.description].filter(Boolean).join('\n')).join('\n');
  return text
    .replace(/<(?:@[!&]?|#)\d{1,20}>|<a?:\w{1,32}:\d{1,20}>/g, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
