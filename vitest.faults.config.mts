import { defineConfig } from 'vitest/config';

// The fault suite (`npm run test:faults`): one file starts the whole cluster itself and injects faults into it.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 900_000,
    hookTimeout: 600_000,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
