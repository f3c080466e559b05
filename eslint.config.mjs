// One lint config for the whole workspace. typescript-eslint's recommended rules everywhere; Next's own rules
// (React, hooks, accessibility, core web vitals) only where Next runs: apps/web. Types are checked by `pnpm typecheck`,
// so the rules here are the syntactic ones and the run stays quick on a small machine.
import js from '@eslint/js';
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import storybook from 'eslint-plugin-storybook';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/.next/',
    '**/dist/',
    '**/storybook-static/',
    '**/next-env.d.ts',
    '.data/',
    'test-results/',
    'bench/results/',
    'scratch/',
    'tmp/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` is how this codebase says "deliberately unused" (callback positions, destructured leftovers)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx,js,mjs}'],
    extends: [nextCoreWebVitals],
    settings: { next: { rootDir: 'apps/web/' } },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // React Compiler's rules from react-hooks 7. The app is not compiled with React Compiler, and what they flag
      // here (a ref that holds the latest callback, a refetch started from an effect) is correct React without it.
      // Warnings keep them visible for new code without failing the build on today's working patterns.
      'react-hooks/refs': 'warn',
      'react-hooks/set-state-in-effect': 'warn',
      'react-hooks/immutability': 'warn',
    },
  },
  {
    // the structure boards map untyped pg rows to DTOs; typing each row is follow-up work, not a lint failure
    files: ['apps/web/src/server/structure/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['apps/web/**/*.stories.tsx'],
    extends: [storybook.configs['flat/recommended']],
  },
]);
