import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Type-aware rules: a forgotten await loses errors and acks silently.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
];
