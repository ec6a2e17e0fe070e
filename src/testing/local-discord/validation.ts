/**
 * The subset of Discord's request validation that bots most often trip over, so the local server
 * answers 400 where discord.com would (and the user would see nothing).
 *
 * Limits: discord.com/developers/docs/resources/message#embed-object-embed-limits,
 * /interactions/message-components, /interactions/application-commands.
 */

/** Discord's JSON error body. */
export interface DiscordErrorBody {
  /** Human readable message, e.g. `Invalid Form Body`. */
  message: string;
  /** Discord's numeric JSON error code (0 for generic HTTP errors). */
  code: number;
  /** Nested field errors for code 50035. */
  errors?: Record<string, unknown>;
}

type JsonObject = Record<string, unknown>;

/** Whether `value` is a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Collects field errors in Discord's `{ a: { 0: { b: { _errors: [...] } } } }` shape. */
class FormErrors {
  readonly errors: JsonObject = {};
  count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.errors;
    for (const key of path) {
      const name = String(key);
      const next = node[name];
      if (isObject(next)) {
        node = next;
      } else {
        const created: JsonObject = {};
        node[name] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code, message });
    node._errors = list;
    this.count += 1;
  }

  maxLength(path: readonly (string | number)[], value: unknown, max: number): void {
    if (typeof value === 'string' && [...value].length > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }

  result(): DiscordErrorBody | null {
    return this.count === 0 ? null : { message: 'Invalid Form Body', code: 50035, errors: this.errors };
  }
}

const IS_COMPONENTS_V2 = 1 << 15;

function embedLength(embed: JsonObject): number {
  const len = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);
  let total = len(embed.title) + len(embed.description);
  if (isObject(embed.footer)) total += len(embed.footer.text);
  if (isObject(embed.author)) total += len(embed.author.name);
  if (Array.isArray(embed.fields)) {
    for (const field of embed.fields) {
      if (isObject(field)) total += len(field.name) + len(field.value);
    }
  }
  return total;
}

function validateEmbeds(errors: FormErrors, embeds: unknown): void {
  if (!Array.isArray(embeds)) return;
  if (embeds.length > 10) errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isObject(embed)) return;
    errors.maxLength(['embeds', i, 'title'], embed.title, 256);
    errors.maxLength(['embeds', i, 'description'], embed.description, 4096);
    if (isObject(embed.footer)) errors.maxLength(['embeds', i, 'footer', 'text'], embed.footer.text, 2048);
    if (isObject(embed.author)) errors.maxLength(['embeds', i, 'author', 'name'], embed.author.name, 256);
    if (Array.isArray(embed.fields)) {
      if (embed.fields.length > 25) {
        errors.add(['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      }
      embed.fields.forEach((field, j) => {
        if (!isObject(field)) return;
        errors.maxLength(['embeds', i, 'fields', j, 'name'], field.name, 256);
        errors.maxLength(['embeds', i, 'fields', j, 'value'], field.value, 1024);
        if (str(field.name) === '' || str(field.value) === '') {
          errors.add(['embeds', i, 'fields', j], 'BASE_TYPE_REQUIRED', 'This field is required');
        }
      });
    }
    total += embedLength(embed);
  });
  if (total > 6000)
    errors.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function validateComponents(errors: FormErrors, components: unknown, flags: number): void {
  if (!Array.isArray(components)) return;
  const v2 = (flags & IS_COMPONENTS_V2) !== 0;
  if (!v2 && components.length > 5) {
    errors.add(['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  }
  const seen = new Set<string>();
  components.forEach((row, i) => {
    if (!isObject(row) || row.type !== 1 || !Array.isArray(row.components)) return;
    const children = row.components as unknown[];
    const hasSelect = children.some(
      (child) => isObject(child) && typeof child.type === 'number' && child.type !== 2,
    );
    if (children.length > 5 || (hasSelect && children.length > 1)) {
      errors.add(['components', i, 'components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
    }
    if (children.length === 0) {
      errors.add(['components', i, 'components'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
    }
    children.forEach((child, j) => {
      if (!isObject(child)) return;
      const path = ['components', i, 'components', j];
      const customId = str(child.custom_id);
      if (child.type === 2) {
        errors.maxLength([...path, 'label'], child.label, 80);
        if (child.style === 5) {
          if (!str(child.url)) errors.add([...path, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
        } else if (child.style !== 6 && customId === undefined) {
          errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
        }
      }
      if (customId !== undefined) {
        if (customId.length === 0 || customId.length > 100) {
          errors.add([...path, 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        }
        if (seen.has(customId)) {
          errors.add(
            [...path, 'custom_id'],
            'COMPONENT_CUSTOM_ID_DUPLICATED',
            'Component custom id cannot be duplicated',
          );
        }
        seen.add(customId);
      }
    });
  });
}

/**
 * Validates a message create/edit body.
 *
 * @param body - The JSON body (or `payload_json`) of the request.
 * @param options.fileCount - Number of uploaded files, which count as content.
 * @param options.requireContent - Reject a message that would be empty (Discord's error 50006).
 * @returns Discord's error body, or `null` when the body is acceptable.
 */
export function validateMessageBody(
  body: unknown,
  options: { fileCount: number; requireContent: boolean },
): DiscordErrorBody | null {
  if (!isObject(body)) {
    return options.requireContent ? { message: 'Cannot send an empty message', code: 50006 } : null;
  }
  const errors = new FormErrors();
  errors.maxLength(['content'], body.content, 2000);
  validateEmbeds(errors, body.embeds);
  validateComponents(errors, body.components, typeof body.flags === 'number' ? body.flags : 0);
  const invalid = errors.result();
  if (invalid) return invalid;
  if (options.requireContent && isEmptyMessage(body, options.fileCount)) {
    return { message: 'Cannot send an empty message', code: 50006 };
  }
  return null;
}

/** Whether a message body carries nothing visible: no content, embeds, components, files, stickers or poll. */
export function isEmptyMessage(body: JsonObject, fileCount: number): boolean {
  const nonEmptyArray = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
  return (
    (typeof body.content !== 'string' || body.content.trim().length === 0) &&
    !nonEmptyArray(body.embeds) &&
    !nonEmptyArray(body.components) &&
    !nonEmptyArray(body.sticker_ids) &&
    !nonEmptyArray(body.attachments) &&
    body.poll === undefined &&
    fileCount === 0
  );
}

/** Validates the `data.choices` of an autocomplete result (callback type 8). */
export function validateAutocompleteChoices(data: unknown): DiscordErrorBody | null {
  const errors = new FormErrors();
  const choices = isObject(data) ? data.choices : undefined;
  if (!Array.isArray(choices)) {
    errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return errors.result();
  }
  if (choices.length > 25)
    errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  choices.forEach((choice, i) => {
    if (!isObject(choice)) return;
    const name = str(choice.name) ?? '';
    if (name.length === 0 || [...name].length > 100) {
      errors.add(
        ['data', 'choices', i, 'name'],
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
    errors.maxLength(['data', 'choices', i, 'value'], choice.value, 100);
  });
  return errors.result();
}

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateOptions(errors: FormErrors, path: (string | number)[], options: unknown): void {
  if (!Array.isArray(options)) return;
  if (options.length > 25)
    errors.add([...path, 'options'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((option, i) => {
    if (!isObject(option)) return;
    const at = [...path, 'options', i];
    const name = str(option.name) ?? '';
    if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
      errors.add([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    if (names.has(name))
      errors.add(
        [...at, 'name'],
        'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        'Option name already exists',
      );
    names.add(name);
    const description = str(option.description) ?? '';
    if (description.length === 0 || [...description].length > 100) {
      errors.add([...at, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    const isSub = option.type === 1 || option.type === 2;
    if (!isSub) {
      if (option.required === true && sawOptional) {
        errors.add(
          at,
          'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          'Required options must be placed before non-required options',
        );
      }
      if (option.required !== true) sawOptional = true;
    }
    if (Array.isArray(option.choices) && option.choices.length > 25) {
      errors.add([...at, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    if (option.autocomplete === true && Array.isArray(option.choices) && option.choices.length > 0) {
      errors.add(
        [...at, 'autocomplete'],
        'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID',
        'Autocomplete cannot be set with choices',
      );
    }
    if (isSub) validateOptions(errors, at, option.options);
  });
}

/**
 * Validates a bulk-overwrite command list (`PUT /applications/{app}/commands`).
 *
 * @returns Discord's error body, or `null` when the list is acceptable.
 */
export function validateCommandList(body: unknown): DiscordErrorBody | null {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return errors.result();
  }
  const seen = new Set<string>();
  let chatInput = 0;
  body.forEach((command, i) => {
    if (!isObject(command)) {
      errors.add([i], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    const type = typeof command.type === 'number' ? command.type : 1;
    const name = str(command.name) ?? '';
    const key = `${type}:${name}`;
    if (seen.has(key))
      errors.add(
        [i, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        `Application command names must be unique`,
      );
    seen.add(key);
    if (type === 1) {
      chatInput += 1;
      if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
        errors.add([i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      }
      const description = str(command.description) ?? '';
      if (description.length === 0 || [...description].length > 100) {
        errors.add([i, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      validateOptions(errors, [i], command.options);
    } else {
      if (name.length === 0 || [...name].length > 32) {
        errors.add([i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
      }
      if (str(command.description)) {
        errors.add(
          [i, 'description'],
          'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION',
          'Context menu commands cannot have description',
        );
      }
    }
  });
  if (chatInput > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  return errors.result();
}
