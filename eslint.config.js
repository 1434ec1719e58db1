import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/eslint-boundaries.js';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'sdk/schema.d.ts',
      'console/dist/**',
      '.switchyard/**',
      'coverage/**',
      'test-output/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/direction': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/core/config.ts reads process.env.' },
      ],
    },
  },
  {
    files: [
      'src/core/config.ts',
      'test/**',
      'bench/**',
      'scripts/**',
      '**/*.test.ts',
      'vitest.config.ts',
      'src/cli/**',
      'console/vite.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
