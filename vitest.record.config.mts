import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

// Only the history recorders; `npm test` never runs them.
export default mergeConfig(base, defineConfig({ test: { include: ['test/record/**/*.record.ts'] } }));
