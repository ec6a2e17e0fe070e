import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { claimTextOf } from '../claim-text.js';
import type { MessageCommand } from '../context.js';
import { renderClaimCheck } from '../views/claims.js';
import { notices } from '../views/notices.js';
import { withRussian } from './localize.js';

/** The name users see under Apps when they right-click a message. */
export const FIND_SOURCE = 'Find source';

/**
 * Message context-menu "Find source": checks the claims of the message against the documents and replies
 * privately, linking that message: "Supported by the documents", "The documents say **20 billion**, not 50
 * billion", or "Not found in the documents", each with its quote and citation; one line per claim when the message
 * makes several. The claim check goes through the engine's queue one sentence at a time.
 */
export const findSource: MessageCommand = {
  kind: 'message',
  data: withRussian(
    new ContextMenuCommandBuilder().setName(FIND_SOURCE).setType(ApplicationCommandType.Message).toJSON(),
  ),
  preconditions: ['rate-limit', 'answer-budget'],

  ephemeral: () => true,

  check(interaction, inv) {
    if (claimTextOf(interaction.targetMessage) !== '') return null;
    inv.trace.outcome = 'invalid';
    return { reply: notices.noText(inv.t), ephemeral: true };
  },

  async run(interaction, inv) {
    const target = interaction.targetMessage;
    const check = await inv.engine.checkClaim(claimTextOf(target));
    inv.trace.outcome = check.claims.some((c) => c.verdict !== 'not_found') ? 'answered' : 'not-found';
    const reply = renderClaimCheck(check, { url: target.url, author: target.author.displayName }, inv.view);
    return { reply, ephemeral: true };
  },
};
