import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium (playwright-core) and Firefox ESR (puppeteer-core over
// WebDriver BiDi) with the e2e build of the extension, against the reference inbox.
// `npm run build:e2e` must have run (tests/run-all.mjs does it).
export default defineConfig({
  resolve: { alias: { '@': new URL('../../', import.meta.url).pathname } },
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
    // A real browser on a busy 2-core machine: give polled expectations time.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
