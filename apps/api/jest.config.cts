module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/api',
  // A real redis-server for the Redis suites (unless REDIS_URL points at one).
  globalSetup: '<rootDir>/test/support/redis-global-setup.js',
  globalTeardown: '<rootDir>/test/support/redis-global-teardown.js',
};
