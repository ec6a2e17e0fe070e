import type { Interaction, RepliableInteraction } from 'discord.js';
import { handleButton } from './components/buttons.js';
import type {
  BotContext,
  Command,
  CommandResult,
  Invocation,
  MessageCommand,
  SlashCommand,
  Trace,
} from './context.js';
import type { ScheduledEngine } from './engine/scheduler.js';
import { answerWithin, send } from './respond.js';
import { langOf, labelsFor } from './views/labels.js';
import type { Lang } from './views/labels.js';
import { catalogOf } from './views/names.js';
import { notices } from './views/notices.js';

/** The commands by name, for the dispatcher. */
export interface Registry {
  readonly slash: ReadonlyMap<string, SlashCommand>;
  readonly menus: ReadonlyMap<string, MessageCommand>;
}

export function registryOf(commands: readonly Command[]): Registry {
  const slash = new Map<string, SlashCommand>();
  const menus = new Map<string, MessageCommand>();
  for (const c of commands) {
    if (c.kind === 'slash') slash.set(c.data.name, c);
    else menus.set(c.data.name, c);
  }
  return { slash, menus };
}

/** A handler's invocation: the engine taken once, the member's language and the views' context. */
export function invocation(ctx: BotContext, trace: Trace, lang: Lang, engine?: ScheduledEngine): Invocation {
  const current = engine ?? ctx.engines.current();
  const t = labelsFor(lang);
  return {
    ctx,
    trace,
    engine: current,
    lang,
    t,
    view: { t, catalog: catalogOf(current, ctx.config.CORPUS_URL_TEMPLATE) },
  };
}

/**
 * Routes one interaction: autocomplete to its command, buttons to the component handlers, commands through their
 * declared preconditions (see {@link Precondition}). While the bot drains, every interaction gets a private
 * "restarting" and autocomplete an empty list. Faults propagate to the bot's one catch.
 */
export async function dispatch(
  interaction: Interaction,
  ctx: BotContext,
  trace: Trace,
  registry: Registry,
  draining: boolean,
): Promise<void> {
  if (interaction.isAutocomplete()) {
    const command = registry.slash.get(interaction.commandName);
    if (draining || !command?.autocomplete) await interaction.respond([]);
    else await command.autocomplete(interaction, ctx);
    trace.ackAt = trace.answerAt = Date.now();
    return;
  }
  if (!interaction.isRepliable()) {
    trace.outcome = 'ignored';
    return;
  }
  const lang = langOf(interaction.locale);
  if (draining) {
    trace.outcome = 'restarting';
    await send(interaction, trace, notices.restarting(labelsFor(lang)), true);
    return;
  }
  if (interaction.isChatInputCommand()) {
    const command = registry.slash.get(interaction.commandName);
    if (command) await runCommand(command, interaction, invocation(ctx, trace, lang));
    else await unknownCommand(interaction, trace, lang);
  } else if (interaction.isMessageContextMenuCommand()) {
    const command = registry.menus.get(interaction.commandName);
    if (command) await runCommand(command, interaction, invocation(ctx, trace, lang));
    else await unknownCommand(interaction, trace, lang);
  } else if (interaction.isButton()) {
    await handleButton(interaction, invocation(ctx, trace, lang));
  } else {
    trace.outcome = 'ignored';
  }
}

/** Runs a command's check, its preconditions in order, then the command, and sends its result. */
async function runCommand<I extends RepliableInteraction>(
  command: {
    readonly preconditions: readonly string[];
    ephemeral?(interaction: I): boolean;
    check?(interaction: I, inv: Invocation): CommandResult | null;
    run(interaction: I, inv: Invocation): Promise<CommandResult> | CommandResult;
  },
  interaction: I,
  inv: Invocation,
): Promise<void> {
  const { ctx, trace } = inv;
  const early = command.check?.(interaction, inv) ?? null;
  if (early) return send(interaction, trace, early.reply, early.ephemeral ?? false);
  if (command.preconditions.includes('rate-limit') && !(await takeSlot(interaction, inv))) return;
  if (command.preconditions.includes('answer-budget')) {
    const work = async () => (await command.run(interaction, inv)).reply;
    return answerWithin(interaction, trace, work, {
      ephemeral: command.ephemeral?.(interaction) ?? false,
      budgetMs: ctx.answerBudgetMs,
      queue: ctx.scheduler,
    });
  }
  const result = await command.run(interaction, inv);
  await send(interaction, trace, result.reply, result.ephemeral ?? false);
}

/**
 * Takes a rate-limit slot for the interaction's user and channel; when there is none, replies privately with how
 * long to wait and returns false.
 */
async function takeSlot(interaction: RepliableInteraction, inv: Invocation): Promise<boolean> {
  const decision = inv.ctx.limits.take(
    interaction.user.id,
    interaction.channelId ?? `dm:${interaction.user.id}`,
  );
  if (decision.ok) return true;
  inv.trace.outcome = 'rate-limited';
  await send(
    interaction,
    inv.trace,
    notices.rateLimited(inv.t, decision.retryAfterSeconds, decision.scope),
    true,
  );
  return false;
}

async function unknownCommand(interaction: RepliableInteraction, trace: Trace, lang: Lang): Promise<void> {
  trace.outcome = 'invalid';
  await send(interaction, trace, notices.unknownCommand(labelsFor(lang)), true);
}
