// Browser tests (npm run test:browser): playwright-core drives Debian's Chromium against the real
// app. Kept apart from `npm test` (files end in .browser.ts), with the same swc transform.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/test/browser/**/*.browser.ts'],
  testTimeout: 60000,
};
