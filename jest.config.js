/** Tests run TypeScript through SWC (no type-check; `npm run lint` type-checks). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Kept out of the quick path, each its own CI step: end-to-end runs of whole user paths (`npm run test:e2e`)
  // and slow verification, *.slow.test.ts — the IAM evaluator over access matrices, quotas at scale, cdk-nag
  // and Guard packs, CLI runs in child processes (`npm run test:slow`).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '\\.slow\\.test\\.ts$', '/test/portal-browser/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // CDK's built-in CloudFormation validator costs ~2.4 s per synth; CI runs it in a dedicated step.
  setupFiles: ['<rootDir>/test/setup-env.js'],
  testTimeout: 60000,
  // Jest's default on two cores is one worker; the suite spends much of its time waiting on child processes.
  maxWorkers: 2,
};
