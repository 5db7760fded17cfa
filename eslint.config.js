// ESLint (part of `npm test`): typescript-eslint's recommended rules, React's rules of hooks, and the
// layering as import rules — core knows nothing of engine, export, CLI or UI; export and CLI nothing of
// the UI; the UI reaches the engine only through its public types and its one door (src/ui/engine.ts).
// src/core/layering.test.ts checks the core's purity too, so it holds wherever the unit tests run.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const layer = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist*/**',
      'wasm/dist/**',
      'wasm/build/**',
      '.cache/**',
      'tools/.cache/**',
      'bench/.cache/**',
      'playwright-report*/**',
      'test-results*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `_name` marks a parameter kept for its place in a signature
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // TypeScript checks names itself (and knows the DOM, worker and Node types each file may use)
      'no-undef': 'off',
      // file-name sanitisers match the control characters U+0000–U+001F on purpose
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // the core: nothing outside src/core (its own export/ folder is core too), no React, Konva or Node
  ...[
    ['src/core/*.ts', '../'],
    ['src/core/*/*.ts', '../../'],
    ['src/core/*/*/*.ts', '../../../'],
  ].map(([files, up]) => ({
    files: [files],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^${up.replace(/\./g, '\\.')}(?:\\.\\./)*(?:engine|ui|export|cli|bench)/`, message: 'the core is pure: it knows nothing of the engine, exports, the CLI or the UI' },
            { group: ['react', 'react-*', 'konva', 'node:*'], message: 'the core runs anywhere: no React, Konva or Node modules' },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/export/**/*.ts', 'src/cli/**/*.ts', 'src/engine/**/*.ts'],
    rules: layer([{ group: ['**/ui/**'], message: 'the UI sits on top: nothing below it imports it' }]),
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    ignores: ['src/ui/engine.ts', 'src/ui/offline/warm.ts', 'src/ui/**/*.test.ts'],
    rules: layer([
      {
        group: ['**/engine/*', '!**/engine/types.ts', '!**/engine/refusal.ts'],
        message: 'the UI reaches the engine through src/ui/engine.ts and the engine\'s public types (engine/types.ts) only',
      },
    ]),
  },
);
