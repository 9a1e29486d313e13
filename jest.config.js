// NestJS 12 ships ESM only; @swc/jest transforms it (and our decorators) so Jest 30 on Node 20 can load it.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // The slow tier (heap bounds, crash safety, spawned processes) runs with jest.slow.config.js.
  testPathIgnorePatterns: ['/node_modules/', '\\.slow\\.spec\\.ts$'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // A bound against hangs, not a timing target: API suites against PostgreSQL on a loaded 2-core
  // machine can pass 5 s in one hook (scrypt, migrations) without anything being wrong.
  testTimeout: 30_000,
};
