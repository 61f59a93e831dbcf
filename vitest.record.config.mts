import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

// Only the history recorders; `npm test` never runs them. Spread, not mergeConfig: merging would append to `include`.
export default defineConfig({ ...base, test: { ...base.test, include: ['test/record/**/*.record.ts'] } });
