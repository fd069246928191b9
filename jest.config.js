/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the workspace package by name, from its sources (no build needed), as tsconfig `paths` does
  moduleNameMapper: {
    '^@logistics-platform/cdk-iso27001$': '<rootDir>/packages/cdk-iso27001/src/index.ts',
    '^@logistics-platform/cdk-iso27001/(.*)$': '<rootDir>/packages/cdk-iso27001/src/$1',
    // the IAM simulator's policy loader with a default policy name (see the shim)
    '^@cloud-copilot/iam-policy$': '<rootDir>/test/support/shims/iam-policy.ts',
  },
  transform: {
    '^.+\\.ts$': '<rootDir>/test/setup/ts-transform.js',
    // jose 6 is ESM only (the documents service verifies tokens with it).
    '/node_modules/jose/.+\\.js$': '<rootDir>/test/setup/esm-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testSequencer: '<rootDir>/test/setup/test-sequencer.js',
  runtime: '<rootDir>/test/setup/cached-compile-runtime.js',
  setupFiles: ['<rootDir>/test/setup/in-process-synth.ts'],
  snapshotSerializers: ['<rootDir>/test/setup/asset-hash-serializer.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
