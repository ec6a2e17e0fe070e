// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Layering: lower layers never import higher ones, and nothing below src/discord imports discord.js. */
const layers = [
  {
    dir: 'language',
    banned: ['corpus', 'embeddings', 'index', 'retrieval', 'answer', 'store', 'discord', 'cli'],
  },
  { dir: 'corpus', banned: ['embeddings', 'index', 'retrieval', 'answer', 'store', 'discord', 'cli'] },
  { dir: 'embeddings', banned: ['index', 'retrieval', 'answer', 'store', 'discord', 'cli'] },
  { dir: 'index', banned: ['retrieval', 'answer', 'store', 'discord', 'cli'] },
  // The store (SQLite: settings, feedback) sits beside index: it may use corpus, language, errors and config only.
  { dir: 'store', banned: ['embeddings', 'index', 'retrieval', 'answer', 'discord', 'cli'] },
  { dir: 'retrieval', banned: ['answer', 'store', 'discord', 'cli'] },
  { dir: 'answer', banned: ['store', 'discord', 'cli'] },
  // eval scores the engine (it sits beside answer); bench drives the engine and the bot, as cli does.
  { dir: 'eval', banned: ['store', 'discord', 'cli', 'bench', 'app'] },
  { dir: 'discord', banned: ['cli', 'app', 'bench', 'eval'] },
  { dir: 'bench', banned: ['cli', 'app'] },
];

/** Layers that may import discord.js besides src/discord: the bench drives a local Discord. */
const discordJsAllowed = new Set(['discord', 'bench']);

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
  ...layers.map(({ dir, banned }) => ({
    files: [`src/${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...banned.map((b) => ({ group: [`**/${b}/*`], message: `src/${dir} must not import src/${b}.` })),
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
    // Known exception: runBatch belongs in src/eval (it is the eval's batch runner); until it moves there,
    // src/eval/run-eval.ts may import it from src/cli.
    files: ['src/eval/run-eval.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
