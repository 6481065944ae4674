// The value a response's Set-Cookie headers give one cookie (undefined when it sets none).
import { parseSetCookie } from 'cookie';

export function setCookieValue(setCookies: string[], name: string): string | undefined {
  return setCookies.map((h) => parseSetCookie(h)).find((c) => c.name === name)?.value;
}
