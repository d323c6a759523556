// Three tiers (STYLE.md #11): unit specs live next to the code; integration and e2e specs under
// tests/ run against the real Postgres, Redis and APy that tests/global-setup.ts prepares.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
const moduleNameMapper = {
  '^@syndication/(.*)$': '<rootDir>/libs/$1/src/index.ts',
};
// ESM-only dependencies (TOOLCHAIN.md trap 1) are transformed by swc to CommonJS.
const esm = ['franc', 'trigram-utils', 'n-gram', 'collapse-white-space'];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.spec.ts', '<rootDir>/tests/e2e/**/*.spec.ts', '<rootDir>/tests/fault/**/*.spec.ts'],
      globalSetup: '<rootDir>/tests/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/support/jest-timeout.ts'],
      globalTeardown: '<rootDir>/tests/global-teardown.ts',
    },
  ],
};
