import type { NextConfig } from 'next';

// The thinnest Next.js app that renders a signed-in page (../ssr-floor-api.ts explains why it exists).
const config: NextConfig = { poweredByHeader: false, pageExtensions: ['tsx'] };

export default config;
