import baseConfig from '../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The bench drives the built API as a black box: it imports no workspace project.
    files: ['**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [{ sourceTag: 'scope:bench', onlyDependOnLibsWithTags: [] }],
        },
      ],
    },
  },
];
