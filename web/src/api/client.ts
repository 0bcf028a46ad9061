import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The readable cookie the server sets beside the HttpOnly session cookie. */
const CSRF_COOKIE = 'didtron_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of one cookie of this page, or undefined. */
export function readCookie(name: string, cookies: string = document.cookie): string | undefined {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Cookies ride along on cross-site requests, so the server accepts a
 * cookie-authenticated write only when it also carries the CSRF cookie's
 * value in `x-csrf-token` (which another site cannot read).
 */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
    const token = typeof document === 'undefined' ? undefined : readCookie(CSRF_COOKIE);
    if (token) request.headers.set('x-csrf-token', token);
    return request;
  },
};

/**
 * The typed DIDtron API client. Paths and bodies come from schema.d.ts, which
 * is generated from web/openapi.json (npm run gen:api); never write it by hand.
 * Same origin, session cookie included, CSRF header on every write.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'include' });
api.use(csrfMiddleware);
