// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
// eslint-config-prettier turns off ESLint's stylistic rules: formatting is oxfmt's (Prettier's style).
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', '**/cdk.out/', 'coverage/', '**/dist/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: 'error',
    },
  },
  {
    // Constructs never read the process environment or CDK context: config is passed down.
    files: ['lib/constructs/**/*.ts', 'lib/stacks/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Pass values down from config.' },
      ],
    },
  },
  {
    // The ISO 27001 pack is a package of its own: it reads nothing of the platform.
    files: ['packages/cdk-iso27001/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/lib/**',
                '**/bin/**',
                '**/config',
                '**/config/**',
                '**/constructs/**',
                '**/stacks/**',
                '**/validation/**',
                '**/platform',
              ],
              message:
                'The ISO 27001 pack imports nothing of the platform (lib/, bin/: config, constructs, stacks, validation wiring).',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
