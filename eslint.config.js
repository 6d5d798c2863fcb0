// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** `import { z } from 'zod'` makes zod a value esbuild cannot prune: every locale lands in the Lambda bundle. */
const zodNamespaceOnly = {
  selector: "ImportDeclaration[source.value=/^zod/] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
  message: "Import zod as a namespace (import * as z from 'zod' or 'zod/mini') so that the bundle keeps only what is used.",
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'functions/adapters/ksef/generated/', 'functions/api-client/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules: a promise nobody awaits loses its error; a switch over a union must name every member.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
    },
  },
  {
    // Small files, one concern each (the generated KSeF types are ignored above).
    files: ['functions/**/*.ts', 'infra/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // One logger (functions/ports/logger.ts, Powertools behind it): console only in the local entry
    // points (npm start, npm run migrate:history, npm run ksef-sim), which a person reads in a terminal.
    files: ['functions/**/*.ts'],
    ignores: ['functions/local/*.ts', 'functions/ksef-sim/main.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['functions/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', zodNamespaceOnly] },
  },
  {
    // Tests read loosely typed JSON bodies from HTTP responses.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Ports, use cases, code units and the API speak in ports: the runtime (functions/wiring) plugs adapters in.
    files: ['functions/ports/**/*.ts', 'functions/use-cases/**/*.ts', 'functions/code-units/**/*.ts', 'functions/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/adapters/**', '**/wiring/**', '@aws-sdk/*'], message: 'Depend on a port (functions/ports); adapters are plugged in by functions/wiring.' }] },
      ],
    },
  },
  {
    // The core is pure: no AWS SDK, no Lambda types, no environment, no wall clock.
    files: ['functions/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'aws-lambda', '@middy/*', 'node:*', '../adapters/*', '../wiring/*'], message: 'The domain is pure: keep I/O behind a port.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes from the injected Clock.' },
        { object: 'process', property: 'env', message: 'Configuration is read only in functions/wiring.' },
      ],
      'no-restricted-syntax': [
        'error',
        zodNamespaceOnly,
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time comes from the injected Clock.' },
      ],
    },
  },
);
