// The access token lives here, in this module's memory, and nowhere else in the browser.
// WHY: anything in localStorage/sessionStorage/IndexedDB or a script-readable cookie survives the
// page and is one XSS away from exfiltration (OWASP JWT Cheat Sheet, "Token Storage on Client Side";
// THREATS T30). A new tab gets its own token from SSR or from a silent refresh with the HttpOnly cookies.
import { jwtDecode, type JwtHeader, type JwtPayload } from 'jwt-decode';

export type AccessToken = {
  /** The compact JWS, sent as `Authorization: Bearer …`. */
  readonly jwt: string;
  readonly header: JwtHeader;
  readonly claims: JwtPayload & Record<string, unknown>;
  /** Local clock (ms) when this tab received the token. */
  readonly receivedAt: number;
  /**
   * Local clock (ms) when the token expires: receivedAt + (exp − iat).
   * WHY: counting the token's lifetime from when we received it, instead of comparing `exp` with the
   * browser's clock, makes the refresh timing immune to a skewed client clock (RFC 8725 §3.10 leaves
   * clock handling to the recipient). The error is on the safe side: we receive it after `iat`.
   */
  readonly expiresAt: number;
  /** Refresh this long (ms) before `expiresAt`. */
  readonly refreshMargin: number;
};

/**
 * Refresh when this close to expiry: a quarter of the lifetime, at most 30 s.
 * The margin absorbs network latency and the server's small leeway so that a request never leaves
 * with a token that expires in flight — normal use never sees a 401. A quarter keeps tiny test TTLs
 * (2–4 s) usable; 30 s is plenty for a 5–15 min production token.
 */
export const MAX_REFRESH_MARGIN_MS = 30_000;
export function refreshMarginFor(lifetimeMs: number): number {
  return Math.min(MAX_REFRESH_MARGIN_MS, Math.max(0, Math.floor(lifetimeMs / 4)));
}

/** Decode (NOT verify: the browser is not the audience; the API verifies every request). */
export function parseAccessToken(jwt: string, receivedAt: number): AccessToken {
  const header = jwtDecode<JwtHeader>(jwt, { header: true });
  const claims = jwtDecode<JwtPayload & Record<string, unknown>>(jwt);
  if (typeof claims.exp !== 'number') throw new Error('access token has no numeric exp');
  const lifetimeMs =
    typeof claims.iat === 'number' && claims.exp > claims.iat
      ? (claims.exp - claims.iat) * 1000
      : Math.max(0, claims.exp * 1000 - receivedAt);
  return {
    jwt,
    header,
    claims,
    receivedAt,
    expiresAt: receivedAt + lifetimeMs,
    refreshMargin: refreshMarginFor(lifetimeMs),
  };
}

type Listener = () => void;

export class TokenStore {
  #current: AccessToken | null = null;
  #ended = false;
  readonly #listeners = new Set<Listener>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Store a token. Returns false (and changes nothing) if it is the token we already hold. */
  set(jwt: string): boolean {
    if (this.#current?.jwt === jwt) return false;
    this.#current = parseAccessToken(jwt, this.now());
    this.#ended = false;
    this.#emit();
    return true;
  }

  get(): AccessToken | null {
    return this.#current;
  }

  /** True once this tab's session has ended (sign-out, revocation): pages hide private data. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Forget the token. `ended` marks a sign-out rather than "never signed in". */
  clear({ ended }: { ended: boolean }): void {
    this.#current = null;
    this.#ended = ended;
    this.#emit();
  }

  /** True when we hold a token that is inside its refresh margin (or already expired). */
  needsRefresh(): boolean {
    const t = this.#current;
    return t !== null && this.now() >= t.expiresAt - t.refreshMargin;
  }

  /** Milliseconds until the token expires (negative once expired); null without a token. */
  msUntilExpiry(): number | null {
    return this.#current ? this.#current.expiresAt - this.now() : null;
  }

  /** For React's useSyncExternalStore. */
  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #emit(): void {
    for (const l of this.#listeners) l();
  }
}

/** The browser's one store. On the server nothing imports it: SSR passes tokens explicitly per request. */
export const tokenStore = new TokenStore();
