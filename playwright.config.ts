// End-to-end tests against the BUILT app, in Debian's own Chromium (never a downloaded browser).
import { defineConfig } from '@playwright/test';

// SLIDETILE_E2E_PORT / SLIDETILE_E2E_DIST let several checkouts or agents run the suite side by side.
const PORT = Number(process.env.SLIDETILE_E2E_PORT ?? 4173);
const DIST = process.env.SLIDETILE_E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: process.env.SLIDETILE_E2E_PORT ? `playwright-report-${PORT}` : 'playwright-report' }]],
  outputDir: process.env.SLIDETILE_E2E_PORT ? `test-results-${PORT}` : 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1400, height: 860 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    // tools/test-all.sh builds first; a bare `npx playwright test` builds when dist/ is missing
    command: `test -f ${DIST}/index.html || npx vite build --logLevel warn --outDir ${DIST}; npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
