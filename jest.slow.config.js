// The slow tier (npm run test:slow): memory bounds over 200,000 rows, an import killed with
// SIGKILL, and suites that spawn server or CLI processes. Files end in .slow.spec.ts; `npm test`
// leaves them out and CI runs them after it. Same transform and hang bound as jest.config.js.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/*.slow.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
