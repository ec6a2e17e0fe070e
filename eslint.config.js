// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Layering: lower layers never import higher ones, and nothing below src/discord imports discord.js. */
const layers = [
  { dir: 'language', banned: ['corpus', 'embeddings', 'index', 'retrieval', 'answer', 'discord', 'cli'] },
  { dir: 'corpus', banned: ['embeddings', 'index', 'retrieval', 'answer', 'discord', 'cli'] },
  { dir: 'embeddings', banned: ['index', 'retrieval', 'answer', 'discord', 'cli'] },
  { dir: 'index', banned: ['retrieval', 'answer', 'discord', 'cli'] },
  { dir: 'retrieval', banned: ['answer', 'discord', 'cli'] },
  { dir: 'answer', banned: ['discord', 'cli'] },
  { dir: 'discord', banned: ['cli'] },
];

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
            ...(dir === 'discord'
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
