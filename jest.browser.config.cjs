/**
 * Browser tests of the portal (`npm run test:browser`): Debian's Chromium driven by playwright-core over a
 * portal built from a mesh into a temporary folder. Kept out of `npm test` (jest.config.js ignores the folder).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/portal-browser'],
  testMatch: ['**/*.browser.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFiles: ['<rootDir>/test/setup-env.js'],
  // Each file builds its portal with the CLI once; a 1,000-product mesh takes most of a minute on two cores.
  testTimeout: 120000,
  maxWorkers: 2,
};
