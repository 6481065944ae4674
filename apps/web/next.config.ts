import type { NextConfig } from 'next';

// Security headers (CSP with a per-request nonce, frame-ancestors, HSTS …) are set by the custom
// server (server/security-headers.ts), because the nonce must be fresh for every response.
const config: NextConfig = {
  reactStrictMode: true,
  // Do not advertise the framework (OWASP HTTP Headers Cheat Sheet: remove X-Powered-By).
  poweredByHeader: false,
  // Only .tsx/.ts files under src/pages are routes; tests and helpers never become pages.
  pageExtensions: ['tsx', 'ts'],
  compiler: {
    // Apollo Client 3 keeps its development checks, warnings and the devtools hook
    // (window.__APOLLO_CLIENT__) unless the bundler replaces `globalThis.__DEV__` with false.
    // Production bundles ship without them.
    define: process.env.NODE_ENV === 'production' ? { 'globalThis.__DEV__': false } : {},
  },
};

export default config;
