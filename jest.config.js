/** Tests run TypeScript through SWC (no type-check; `npm run lint` type-checks). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // End-to-end runs of whole user paths (minutes) are their own CI step: `npm run test:e2e`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // CDK's built-in CloudFormation validator costs ~2.4 s per synth; CI runs it in a dedicated step.
  setupFiles: ['<rootDir>/test/setup-env.js'],
  testTimeout: 60000,
};
