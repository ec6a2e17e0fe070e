/**
 * The local Discord (REST and gateway on 127.0.0.1) that the end-to-end tests and the Discord section of
 * `npm run bench` run the real bot against. A development tool: nothing of the bot imports it.
 */
export { LocalDiscord } from './server.js';
export type {
  ActorSpec,
  AutocompleteSpec,
  ButtonSpec,
  DelaySpec,
  DiscordErrorBody,
  FaultSpec,
  GatewayLogEntry,
  InteractionRecord,
  LocalDiscordOptions,
  MessageContextMenuSpec,
  MessageSpec,
  ModalSubmitSpec,
  RestCall,
  RouteName,
  SelectMenuSpec,
  SlashCommandSpec,
  UploadedFile,
  UserContextMenuSpec,
  CommandOptionsSpec,
} from './server.js';
