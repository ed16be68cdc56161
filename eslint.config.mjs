// ESLint flat config with typescript-eslint, as VS Code's extension generator sets it up. Syntax-only rules (no type
// information), so `npm run lint` stays a few seconds; `tsc` in `npm run typecheck` does the type checks.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.cache/**', 'bench/results/**', 'schemas/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-throw-literal': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // File names, CSV cells and terminal output are checked for control characters on purpose.
      'no-control-regex': 'off',
      // Tests match aligned table and progress output, where the spaces are the point.
      'no-regex-spaces': 'off',
      // Fires on `let b = 0` that tsc's definite-assignment analysis needs (a hot CSV scanner assigns b in loop tests).
      'no-useless-assignment': 'off',
    },
  },
  { files: ['webview/**/*.ts', 'test/webview/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  // Plain CommonJS: the CLI's bin script and model modules written the way users write them.
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Tests read the CLI's JSON output and the hosts' untyped objects.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
