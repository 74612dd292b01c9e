// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.tmp/**', '.output/**', '.wxt/**', 'node_modules/**', 'demo-output/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: "Extension code imports z from lib/schema.ts (zod/mini, jitless)." },
          ],
        },
      ],
    },
  },
  {
    // Tests and the reference inbox run in Node, not in the extension bundles.
    files: ['tests/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The reference inbox's page is plain browser JavaScript served as is.
    files: ['tests/reference-inbox/public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
  },
);
