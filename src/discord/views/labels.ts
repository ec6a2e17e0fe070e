/**
 * Every word the bot shows, in English and Russian, in one table: reply labels (by the member's
 * `interaction.locale`) and the Russian names and descriptions Discord shows for the commands.
 * `{name}` placeholders are filled by {@link label}. A missing Russian entry is a type error.
 */

/** The languages replies are written in. Every other locale falls back to English. */
export type Lang = 'en' | 'ru';

const EN = {
  answerLowConfidence: 'Low confidence — check the full passage before relying on it.',
  answerRefused: 'The documents do not answer this question.',
  answerEmpty: 'I found no words to search for in that question. Ask in words, for example:',
  closestPassage: 'Closest passage (does not answer it)',
  trySearch: 'Try `/search` to browse the passages on this subject.',
  claimFor: 'Checking [this message]({url}) by {author}',
  claimForPlain: 'Checking this message by {author}',
  sourceLabel: 'Source',
  lowWord: 'Low confidence',
  btnMore: 'More sources',
  btnFull: 'Full passage',
  btnThread: 'Discuss in thread',
  btnPrevPassage: '◀ Previous passage',
  btnNextPassage: 'Next passage ▶',
  btnPrev: '◀ Previous',
  btnNext: 'Next ▶',
  moreSources: 'More sources, best first.',
  moreSourcesRefused: 'Other close passages. None of them answers the question either.',
  noMoreSources: 'No other passage came close to this question.',
  previousPassage: 'Previous passage',
  thisPassage: 'This passage',
  nextPassage: 'Next passage',
  passageOf: 'Passage {n} of {total}',
  line: 'line {a}',
  lines: 'lines {a}–{b}',
  page: 'p. {n}',
  lookupTitle: 'Lookup: {term}',
  lookupNone: 'No sentence in the documents mentions this term. Try `/search` for related passages.',
  lookupFooter: '{found} found',
  pageOf: 'Page {n} of {total}',
  sentences: '{n} sentences',
  sentence: '1 sentence',
  searchTitle: 'Search: {query}',
  searchNone: 'Nothing in the documents matches this query.',
  searchTop: 'Best matches first; the matching sentence in bold.',
  relevanceHigh: 'High relevance',
  relevanceMedium: 'Medium relevance',
  relevanceLow: 'Low relevance',
  briefTitle: 'Brief: {topic}',
  briefFound: 'Key sentences on this topic, from {docs}.',
  briefOneDoc: 'Key sentences on this topic.',
  briefWeak: 'The documents say little about this topic. Closest passage (not clearly about it):',
  briefNone: 'The documents say little about this topic.',
  docsTitle: 'Documents ({n})',
  docsPassages: '{n} passages',
  docsMore: '…and {n} more',
  docsEmpty: 'The corpus has no documents.',
  docsFooter: 'Index updated {date} · {passages} passages',
  untitled: 'Untitled',
  yourQuestion: 'Your question',
  helpTitle: 'Footnote',
  helpIntro:
    'I answer questions from the documents below and always quote the passage I used, with a link to it when one is set. When the documents do not answer, I say so.',
  helpDocs: 'Documents',
  helpMention: 'Mention me',
  helpMentionText:
    'Write a question after mentioning me and I reply to it. Reply to one of my answers to follow up ("and in 2023?").',
  helpThread: 'Discuss in thread',
  helpThreadText: 'The button under an answer opens a thread; there I answer every message.',
  helpFindSource: 'Find source',
  helpFindSourceText:
    'Right-click (or long-press) a message → Apps → Find source: each claim of the message checked against the documents (supported, contradicted with the documents’ figure, or not found), with the passage. Only you see the answer.',
  errorGeneric: 'Something went wrong while answering. It has been logged; please try again in a moment.',
  rateUser: 'You are asking quickly. Please try again in {s} s.',
  rateChannel: 'This channel is asking quickly. Please try again in {s} s.',
  restarting: 'Footnote is restarting, try again shortly.',
  expired: 'This answer is too old for its buttons (I keep recent answers only). Please ask again.',
  mentionUsage:
    'Ask me a question after the mention, for example: “@Footnote when was the partnership signed?”',
  noText: 'That message has no text I can read, so I cannot look for its source.',
  documentNotFound: 'No document matches “{query}”. `/docs` lists them.',
  passageNotFound: '“{title}” has passages 1 to {n}.',
  passageGone: 'That passage is no longer in the documents. Try `/source` again.',
  noPassage: 'This answer has no passage to show.',
  threadOpened: 'Opened a thread: <#{id}> — {how}.',
  threadHowAuto: 'I answer every message there',
  threadHowMention: 'mention me there to ask',
  threadExists: 'This answer already has a thread: <#{id}>',
  threadExistsPlain: 'This answer already has a thread.',
  cannotThread: 'I cannot open a thread here.',
  threadIntro: 'Discussing “{question}”. {how}, using the questions before as context.',
  threadIntroAuto: 'Ask follow-up questions here; I answer every message',
  threadIntroMention: 'Mention me to ask follow-up questions',
  threadName: 'Discussion',
  unknownCommand: 'I do not know that command. Try `/help`.',
  verdictSupported: 'Supported by the documents',
  verdictContradicted: 'The documents say **{documented}**, not {claimed}',
  verdictNotFound: 'Not found in the documents',
  verdictOtherwise: 'The documents say otherwise',
  verdictLow: 'low confidence',
  closestNotSettled: 'Closest passage (does not settle it)',
  claimNothing:
    'Nothing to check in this message: it states no fact the documents could confirm (questions, greetings and opinions are skipped).',
  claimSkipped: 'Not checked: {n} (questions, greetings, opinions)',
  claimMore: '…and {n} more',
  messageLink: 'message',
  checkTitle: 'Check: the last {n} messages',
  checkSummary: '{contradicted} contradicted · {supported} supported · {notFound} not found',
  checkNone:
    'No checkable claim in the last {n} messages (I skip questions, greetings, opinions and messages from bots).',
  checkUnchecked: '{n} more sentences not checked (at most {max} per /check)',
  checkNoHistory:
    'I need the **Read Message History** and **View Channel** permissions here to read the discussion. A moderator can grant them to my role in this channel’s settings.',
  checkNoContent:
    'I cannot read message text: I run without the Message Content intent. The bot’s owner can turn it on in the Developer Portal (Bot → Privileged Gateway Intents) and set MESSAGE_CONTENT_INTENT=true.',
  checkNoChannel: 'I cannot read the messages of this channel.',
  watchGuildOnly: 'Watched channels exist in servers only.',
  watchNoPermission: 'Only members with the **Manage Channels** permission can change or see the watch.',
  watchNoIntent:
    'I cannot watch channels without the Message Content intent: I would not see what people write. The bot’s owner can turn it on in the Developer Portal (Bot → Privileged Gateway Intents) and set MESSAGE_CONTENT_INTENT=true.',
  watchBotPermissions: 'I need these permissions in this channel first: {missing}.',
  watchOn:
    'Watching this channel from now on. When a message states a figure the documents contradict (confidence ≥ {threshold} %), I reply once, without pinging, with the passage; a claim they support gets a 📎 reaction; anything else, nothing. At most {replies} replies an hour here. `/watch off` stops it.',
  watchAlready: 'This channel is already watched (since <t:{since}:f>). `/watch off` stops it.',
  watchOff: 'Stopped watching this channel.',
  watchNotOn: 'This channel was not watched.',
  watchStatusOn: 'This channel is watched since <t:{since}:f>.',
  watchStatusParent: 'This thread is watched with its channel <#{id}> (since <t:{since}:f>).',
  watchStatusOff: 'This channel is not watched. `/watch on` turns it on.',
  watchList: 'Watched in this server: {channels}',
  watchFooter: 'A moderator turned on claim checks here · Find source on a message for the details',
} as const;

export type LabelKey = keyof typeof EN;

const RU: Record<LabelKey, string> = {
  answerLowConfidence: 'Низкая уверенность — проверьте полный отрывок, прежде чем полагаться на ответ.',
  answerRefused: 'В документах нет ответа на этот вопрос.',
  answerEmpty: 'В вопросе нет слов для поиска. Спросите словами, например:',
  closestPassage: 'Ближайший отрывок (не отвечает на вопрос)',
  trySearch: 'Попробуйте `/search`, чтобы просмотреть отрывки на эту тему.',
  claimFor: 'Проверка [этого сообщения]({url}) от {author}',
  claimForPlain: 'Проверка сообщения от {author}',
  sourceLabel: 'Источник',
  lowWord: 'Низкая уверенность',
  btnMore: 'Другие источники',
  btnFull: 'Полный отрывок',
  btnThread: 'Обсудить в ветке',
  btnPrevPassage: '◀ Предыдущий отрывок',
  btnNextPassage: 'Следующий отрывок ▶',
  btnPrev: '◀ Назад',
  btnNext: 'Далее ▶',
  moreSources: 'Другие источники, лучшие первыми.',
  moreSourcesRefused: 'Другие близкие отрывки. Ни один из них тоже не отвечает на вопрос.',
  noMoreSources: 'Других близких отрывков нет.',
  previousPassage: 'Предыдущий отрывок',
  thisPassage: 'Этот отрывок',
  nextPassage: 'Следующий отрывок',
  passageOf: 'Отрывок {n} из {total}',
  line: 'строка {a}',
  lines: 'строки {a}–{b}',
  page: 'с. {n}',
  lookupTitle: 'Упоминания: {term}',
  lookupNone: 'Ни одно предложение в документах не упоминает этот термин. Попробуйте `/search`.',
  lookupFooter: 'Найдено: {found}',
  pageOf: 'Страница {n} из {total}',
  sentences: '{n} предл.',
  sentence: '1 предложение',
  searchTitle: 'Поиск: {query}',
  searchNone: 'В документах ничего не найдено по этому запросу.',
  searchTop: 'Лучшие совпадения первыми; подходящее предложение выделено.',
  relevanceHigh: 'Высокая релевантность',
  relevanceMedium: 'Средняя релевантность',
  relevanceLow: 'Низкая релевантность',
  briefTitle: 'Обзор: {topic}',
  briefFound: 'Ключевые предложения по теме из документов: {docs}.',
  briefOneDoc: 'Ключевые предложения по теме.',
  briefWeak: 'В документах мало сказано об этой теме. Ближайший отрывок (не совсем о ней):',
  briefNone: 'В документах мало сказано об этой теме.',
  docsTitle: 'Документы ({n})',
  docsPassages: 'отрывков: {n}',
  docsMore: '…и ещё {n}',
  docsEmpty: 'В корпусе нет документов.',
  docsFooter: 'Индекс обновлён {date} · отрывков: {passages}',
  untitled: 'Без названия',
  yourQuestion: 'Ваш вопрос',
  helpTitle: 'Footnote',
  helpIntro:
    'Я отвечаю на вопросы по документам ниже и всегда цитирую отрывок, на который опираюсь, со ссылкой, если она задана. Если в документах ответа нет, я так и говорю.',
  helpDocs: 'Документы',
  helpMention: 'Упомяните меня',
  helpMentionText:
    'Напишите вопрос после упоминания, и я отвечу. Ответьте на мой ответ, чтобы уточнить («а в 2023?»).',
  helpThread: 'Обсудить в ветке',
  helpThreadText: 'Кнопка под ответом открывает ветку; там я отвечаю на каждое сообщение.',
  helpFindSource: 'Найти источник',
  helpFindSourceText:
    'Правый клик (или долгое нажатие) по сообщению → Приложения → Найти источник: каждое утверждение сообщения проверяется по документам (подтверждено, опровергнуто с цифрой из документов или не найдено), с отрывком. Ответ видите только вы.',
  errorGeneric: 'Что-то пошло не так. Ошибка записана в журнал; попробуйте ещё раз чуть позже.',
  rateUser: 'Вы спрашиваете слишком часто. Попробуйте снова через {s} с.',
  rateChannel: 'В этом канале спрашивают слишком часто. Попробуйте снова через {s} с.',
  restarting: 'Footnote перезапускается, попробуйте чуть позже.',
  expired: 'Этот ответ слишком старый для кнопок (я храню только недавние). Спросите ещё раз.',
  mentionUsage: 'Задайте вопрос после упоминания, например: «@Footnote когда было подписано партнёрство?»',
  noText: 'В этом сообщении нет текста, который я могу прочитать.',
  documentNotFound: 'Нет документа «{query}». Список — в `/docs`.',
  passageNotFound: 'В «{title}» отрывки с 1 по {n}.',
  passageGone: 'Этого отрывка больше нет в документах. Попробуйте `/source` ещё раз.',
  noPassage: 'У этого ответа нет отрывка.',
  threadOpened: 'Ветка открыта: <#{id}> — {how}.',
  threadHowAuto: 'там я отвечаю на каждое сообщение',
  threadHowMention: 'упомяните меня там, чтобы спросить',
  threadExists: 'У этого ответа уже есть ветка: <#{id}>',
  threadExistsPlain: 'У этого ответа уже есть ветка.',
  cannotThread: 'Здесь я не могу открыть ветку.',
  threadIntro: 'Обсуждаем «{question}». {how}; предыдущие вопросы учитываются.',
  threadIntroAuto: 'Задавайте уточняющие вопросы здесь, я отвечаю на каждое сообщение',
  threadIntroMention: 'Упомяните меня, чтобы задать уточняющий вопрос',
  threadName: 'Обсуждение',
  unknownCommand: 'Я не знаю такой команды. Попробуйте `/help`.',
  verdictSupported: 'Подтверждается документами',
  verdictContradicted: 'В документах **{documented}**, а не {claimed}',
  verdictNotFound: 'В документах не найдено',
  verdictOtherwise: 'В документах сказано иначе',
  verdictLow: 'низкая уверенность',
  closestNotSettled: 'Ближайший отрывок (не решает вопрос)',
  claimNothing:
    'В этом сообщении нечего проверять: в нём нет утверждения о факте (вопросы, приветствия и мнения пропускаются).',
  claimSkipped: 'Не проверено: {n} (вопросы, приветствия, мнения)',
  claimMore: '…и ещё {n}',
  messageLink: 'сообщение',
  checkTitle: 'Проверка: последние сообщения ({n})',
  checkSummary: 'опровергнуто: {contradicted} · подтверждено: {supported} · не найдено: {notFound}',
  checkNone:
    'В последних сообщениях ({n}) нет проверяемых утверждений (я пропускаю вопросы, приветствия, мнения и сообщения ботов).',
  checkUnchecked: 'Не проверено ещё предложений: {n} (не больше {max} за одну /check)',
  checkNoHistory:
    'Чтобы прочитать обсуждение, мне нужны права **Читать историю сообщений** и **Просматривать канал** здесь. Модератор может выдать их моей роли в настройках канала.',
  checkNoContent:
    'Я не вижу текст сообщений: бот запущен без намерения Message Content. Владелец бота может включить его в Developer Portal (Bot → Privileged Gateway Intents) и задать MESSAGE_CONTENT_INTENT=true.',
  checkNoChannel: 'Я не могу прочитать сообщения этого канала.',
  watchGuildOnly: 'Наблюдение за каналами есть только на серверах.',
  watchNoPermission: 'Менять и смотреть наблюдение могут только участники с правом **Управлять каналами**.',
  watchNoIntent:
    'Без намерения Message Content я не могу наблюдать за каналом: я не увижу, что пишут. Владелец бота может включить его в Developer Portal (Bot → Privileged Gateway Intents) и задать MESSAGE_CONTENT_INTENT=true.',
  watchBotPermissions: 'Сначала мне нужны права в этом канале: {missing}.',
  watchOn:
    'Наблюдаю за этим каналом. Если в сообщении цифра, которую документы опровергают (уверенность ≥ {threshold} %), я один раз отвечу без упоминания, с отрывком; подтверждённое утверждение получит реакцию 📎; остальное — ничего. Не больше {replies} ответов в час здесь. `/watch off` выключает.',
  watchAlready: 'За этим каналом уже наблюдаю (с <t:{since}:f>). `/watch off` выключает.',
  watchOff: 'Больше не наблюдаю за этим каналом.',
  watchNotOn: 'За этим каналом не наблюдали.',
  watchStatusOn: 'За этим каналом наблюдаю с <t:{since}:f>.',
  watchStatusParent: 'За этой веткой наблюдаю вместе с каналом <#{id}> (с <t:{since}:f>).',
  watchStatusOff: 'За этим каналом не наблюдаю. `/watch on` включает.',
  watchList: 'Наблюдаю на этом сервере: {channels}',
  watchFooter:
    'Модератор включил здесь проверку утверждений · «Найти источник» на сообщении покажет подробности',
};

const TABLE: Record<Lang, Record<LabelKey, string>> = { en: EN, ru: RU };

/** The reply language for a Discord locale (`ru` → Russian; anything else, or none, → English). */
export function langOf(locale: string | null | undefined): Lang {
  return typeof locale === 'string' && /^ru\b/i.test(locale) ? 'ru' : 'en';
}

/** The reply language for a message without a locale (mentions, threads): Russian when it is mostly Cyrillic. */
export function langOfText(text: string): Lang {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return cyrillic > latin ? 'ru' : 'en';
}

/** A label in `lang`, with `{name}` placeholders filled from `vars` (values inserted as given). */
export function label(lang: Lang, key: LabelKey, vars: Record<string, string | number> = {}): string {
  return TABLE[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A label bound to a language: what views receive. */
export type Labels = (key: LabelKey, vars?: Record<string, string | number>) => string;

export function labelsFor(lang: Lang): Labels {
  return (key, vars) => label(lang, key, vars);
}

/**
 * Russian names and descriptions of the commands and their options, for `name_localizations` and
 * `description_localizations`. Names follow Discord's rule for chat-input commands (lower case, no spaces).
 */
export const COMMAND_RU = {
  ask: {
    name: 'спросить',
    description: 'Ответ по документам с цитатой из использованного отрывка',
    options: {
      question: { name: 'вопрос', description: 'Ваш вопрос' },
      private: { name: 'лично', description: 'Ответ увидите только вы' },
    },
  },
  lookup: {
    name: 'упоминания',
    description: 'Все предложения в документах, где упоминается термин',
    options: { term: { name: 'термин', description: 'Имя, место, организация или число' } },
  },
  search: {
    name: 'поиск',
    description: 'Отрывки, лучше всего подходящие к запросу',
    options: {
      query: { name: 'запрос', description: 'Что искать' },
      count: { name: 'количество', description: 'Сколько отрывков (1–10, по умолчанию 5)' },
    },
  },
  source: {
    name: 'источник',
    description: 'Читать документ по отрывкам',
    options: {
      document: { name: 'документ', description: 'Документ' },
      passage: { name: 'отрывок', description: 'Номер отрывка, с 1 (по умолчанию 1)' },
    },
  },
  brief: {
    name: 'обзор',
    description: 'Ключевые предложения на тему из нескольких документов, для обсуждения',
    options: { topic: { name: 'тема', description: 'Тема' } },
  },
  docs: { name: 'документы', description: 'Документы, по которым я отвечаю', options: {} },
  help: { name: 'помощь', description: 'Что я умею, с примерами', options: {} },
  check: {
    name: 'проверить',
    description: 'Проверить утверждения последних сообщений по документам',
    options: {
      messages: { name: 'сообщений', description: 'Сколько последних сообщений (1–50, по умолчанию 20)' },
      public: { name: 'для-всех', description: 'Показать результат всем в канале' },
    },
  },
  watch: {
    name: 'наблюдать',
    description: 'Проверять утверждения в этом канале самому (для модераторов)',
    options: {
      on: { name: 'вкл', description: 'Начать наблюдение за этим каналом' },
      off: { name: 'выкл', description: 'Остановить наблюдение за этим каналом' },
      status: { name: 'статус', description: 'Наблюдаю ли я за этим каналом' },
    },
  },
  'Find source': { name: 'Найти источник', description: '', options: {} },
} as const satisfies Record<
  string,
  {
    name: string;
    description: string;
    options: Record<string, { name: string; description: string }>;
  }
>;
