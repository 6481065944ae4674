// The e2e run's servers and their settings. Ports differ from the dev defaults (3000/4000) so that a
// running `pnpm dev` does not collide with the tests; override with E2E_WEB_PORT / E2E_API_PORT.
import { existsSync } from 'node:fs';
export const API_PORT = Number(process.env['E2E_API_PORT'] ?? 4100);
export const WEB_PORT = Number(process.env['E2E_WEB_PORT'] ?? 3100);

/**
 * `localhost`, not 127.0.0.1: the browser treats http://localhost as a secure context, which the
 * __Host- cookies (Secure) and the Web Locks API require.
 */
export const WEB_ORIGIN = `http://localhost:${WEB_PORT}`;
export const API_ORIGIN = `http://127.0.0.1:${API_PORT}`;

/**
 * Tiny on purpose: tests that must "wait past the access-token TTL" wait this long for real.
 * The browser refreshes within the last quarter (1.5 s) of the lifetime.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 6;
export const REFRESH_REUSE_GRACE_SECONDS = 10;

/**
 * The system's Chromium when there is one (CHROMIUM_PATH, else Debian's /usr/bin/chromium; CI uses
 * that and never downloads a browser), otherwise Playwright's own (`playwright install chromium`).
 */
const SYSTEM_CHROMIUM = process.env['CHROMIUM_PATH'] || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
export const CHROMIUM_LAUNCH_OPTIONS = {
  ...(SYSTEM_CHROMIUM ? { executablePath: SYSTEM_CHROMIUM } : {}),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
