import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed DIDtron API client. Paths and bodies come from schema.d.ts, which
 * is generated from web/openapi.json (npm run gen:api); never write it by hand.
 * Same origin, session cookie included.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'include' });
