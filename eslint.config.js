// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Layering: lower layers never import higher ones, nothing below src/discord imports discord.js, and nothing of the
 * bot imports src/testing (the local Discord, a development tool for the tests and the bench).
 */
const layers = [
  {
    dir: 'language',
    banned: ['corpus', 'embeddings', 'index', 'retrieval', 'answer', 'store', 'discord', 'cli', 'testing'],
  },
  {
    dir: 'corpus',
    banned: ['embeddings', 'index', 'retrieval', 'answer', 'store', 'discord', 'cli', 'testing'],
  },
  { dir: 'embeddings', banned: ['index', 'retrieval', 'answer', 'store', 'discord', 'cli', 'testing'] },
  { dir: 'index', banned: ['retrieval', 'answer', 'store', 'discord', 'cli', 'testing'] },
  // The store (SQLite: settings, feedback) sits beside index: it may use corpus, language, errors and config only.
  { dir: 'store', banned: ['embeddings', 'index', 'retrieval', 'answer', 'discord', 'cli', 'testing'] },
  { dir: 'retrieval', banned: ['answer', 'store', 'discord', 'cli', 'testing'] },
  { dir: 'answer', banned: ['store', 'discord', 'cli', 'testing'] },
  // eval scores the engine (it sits beside answer); bench drives the engine and the bot, as cli does.
  { dir: 'eval', banned: ['store', 'discord', 'cli', 'bench', 'app', 'testing'] },
  { dir: 'discord', banned: ['cli', 'app', 'bench', 'eval', 'testing'] },
  { dir: 'bench', banned: ['cli', 'app'] },
  // The local Discord imitates Discord (discord-api-types, ws) and knows nothing of the bot.
  {
    dir: 'testing',
    banned: [
      'language',
      'corpus',
      'embeddings',
      'index',
      'retrieval',
      'answer',
      'store',
      'eval',
      'discord',
      'cli',
      'bench',
      'app',
    ],
    bannedFiles: ['config', 'errors', 'main'],
  },
];

/** Layers that may import discord.js: src/discord only (the local Discord in src/testing uses discord-api-types). */
const discordJsAllowed = new Set(['discord']);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'corpus/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layers.map(({ dir, banned, bannedFiles = [] }) => ({
    files: [`src/${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...banned.map((b) => ({ group: [`**/${b}/*`], message: `src/${dir} must not import src/${b}.` })),
            ...bannedFiles.map((f) => ({
              group: [`**/${f}.js`],
              message: `src/${dir} must not import src/${f}.ts.`,
            })),
            ...(discordJsAllowed.has(dir)
              ? []
              : [
                  {
                    group: ['discord.js', '@discordjs/*'],
                    message: 'Only src/discord may import discord.js.',
                  },
                ]),
          ],
        },
      ],
    },
  })),
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
