// Response headers for every page the web server renders (OWASP HTTP Headers Cheat Sheet, OWASP CSP
// Cheat Sheet, THREATS T29 and T34).
import { randomBytes } from 'node:crypto';

/** 128 random bits per response (CSP3 §7.1 asks for ≥ 128 bits, never reused). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export type HeaderOptions = { nonce: string; dev: boolean; https: boolean };

export function contentSecurityPolicy({ nonce, dev, https }: HeaderOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Only scripts carrying this response's nonce run, plus what they load ('strict-dynamic');
    // injected markup such as <script>…</script> or onerror= handlers is refused. React's dev build
    // needs eval for its debugging aids; the production policy has neither unsafe-eval nor unsafe-inline.
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    // Production styles are <link>ed files. The dev server injects <style> tags for hot reload, and a
    // nonce would disable 'unsafe-inline', so dev uses 'unsafe-inline' alone.
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    // 'self' covers ws:/wss: to this same host (CSP3), i.e. graphql-ws and the dev HMR socket.
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    // Clickjacking: no site may frame these pages (X-Frame-Options below for older browsers).
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

export function securityHeaders(options: HeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    // Full URL to ourselves, only the origin to other sites over HTTPS, nothing over HTTP: a `?next=`
    // or any other path detail does not leak to third parties.
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    // This app needs no powerful features; deny them so injected content cannot ask for them either.
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=(), interest-cohort=()',
    // A page we open cannot reach back into our window (window.opener), and vice versa.
    'Cross-Origin-Opener-Policy': 'same-origin',
    // HSTS only over HTTPS (RFC 6797 §7.2: ignored over plain HTTP anyway).
    ...(options.https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

/**
 * Headers for the API's responses as the proxy relays them (OWASP REST Security CS, "Security
 * headers"). WHY no-store: they carry access tokens and the refresh cookie; neither the browser's
 * cache nor any shared cache may keep them (RFC 9111 §5.2.2.5). The rest: a JSON answer opened as a
 * document runs nothing, is not framed, and is not sniffed into HTML.
 */
export function apiResponseHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    ...(https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
