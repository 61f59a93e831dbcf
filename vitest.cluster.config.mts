import { defineConfig } from 'vitest/config';

// The cluster suite (`npm run test:cluster`): one file starts the whole production topology itself, so no global setup.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 420_000,
    hookTimeout: 600_000,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
