// Playwright runs the real thing: production builds of the API and the web app (so the CSP is the
// production one), started here, on a fresh database, with Debian's Chromium.
// Build first (`pnpm build`); the root `pnpm test:e2e` does that.
import { defineConfig } from '@playwright/test';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  API_ORIGIN,
  CHROMIUM_LAUNCH_OPTIONS,
  API_PORT,
  REFRESH_REUSE_GRACE_SECONDS,
  WEB_ORIGIN,
  WEB_PORT,
} from './support/env';

export default defineConfig({
  testDir: '.',
  testMatch: ['tests/**/*.spec.ts', 'attacks/**/*.spec.ts'],
  // One worker: two cores run the API (argon2), the web server and Chromium; timing-based tests
  // (token expiry) stay honest when nothing else competes for the CPU.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Always an HTML report (e2e/playwright-report; `pnpm --filter @app/e2e exec playwright show-report`)
  // with the trace, screenshot and log of every failed test; .ci/run prints where it is.
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    baseURL: WEB_ORIGIN,
    browserName: 'chromium',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: [
    {
      name: 'api',
      command: 'node scripts/start-api.mjs',
      url: `${API_ORIGIN}/readyz`,
      env: {
        API_PORT: String(API_PORT),
        API_HOST: '127.0.0.1',
        WEB_ORIGINS: WEB_ORIGIN,
        ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS),
        REFRESH_REUSE_GRACE_SECONDS: String(REFRESH_REUSE_GRACE_SECONDS),
        LOG_LEVEL: 'warn',
        // Every browser of the suite reaches the API from the same loopback address, i.e. one
        // rate-limit bucket for all of them; the limits themselves are tested at the API level.
        RATE_LIMIT_AUTH_PER_ADDRESS: '10000',
        RATE_LIMIT_REFRESH_PER_ADDRESS: '10000',
      },
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      stdout: 'pipe',
      timeout: 120_000,
    },
    {
      name: 'web',
      command: 'pnpm --filter @app/web start',
      url: `${WEB_ORIGIN}/signin`,
      env: {
        PORT: String(WEB_PORT),
        API_URL: API_ORIGIN,
        NEXT_TELEMETRY_DISABLED: '1',
      },
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      timeout: 120_000,
    },
  ],
});
