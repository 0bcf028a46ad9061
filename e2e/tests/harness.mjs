// Shared set-up for the browser journeys: the system Chromium (no browser
// download), the server under test, and checks every page must pass.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request as apiRequest } from 'playwright-core';

/** The didtron (or `vite preview`) under test. */
export const baseUrl = (process.env.DIDTRON_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');

/**
 * Set when testing `vite preview` instead of didtron: there is no API, and the
 * reference page lives at /api-docs.html instead of /api/docs.
 */
export const preview = process.env.DIDTRON_E2E_PREVIEW === '1';

export const apiDocsPath = preview ? '/api-docs.html' : '/api/docs';

export const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
mkdirSync(screenshotDir, { recursive: true });

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh visitor (empty localStorage) whose system prefers light mode, so
 * "follow the system" starts in light.
 */
export async function newVisitor(browser, { width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);

  // Nothing on our pages may be fetched from another origin (fonts, CDNs, telemetry).
  const foreignRequests = [];
  const origin = new URL(baseUrl).origin;
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });

  // Uncaught exceptions in our code are bugs, whatever the page shows.
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  return { context, page, foreignRequests, pageErrors };
}

export function screenshotPath(name) {
  return join(screenshotDir, `${name}.png`);
}

/** The colour scheme Mantine applied to <html>. */
export function colorScheme(page) {
  return page.locator('html').getAttribute('data-mantine-color-scheme');
}

/** Waits until <html> carries the given scheme. */
export async function waitForScheme(page, scheme) {
  await page.waitForFunction(
    (expected) => document.documentElement.getAttribute('data-mantine-color-scheme') === expected,
    scheme,
  );
}

/** The super admin the e2e runner (scripts/e2e.sh) creates. */
export const admin = {
  email: process.env.DIDTRON_ADMIN_EMAIL ?? 'admin@e2e.test',
  password: process.env.DIDTRON_ADMIN_PASSWORD ?? 'e2e-admin-password',
};

/** Signs a browser context in through the API; its pages share the session cookies. */
export async function signInViaApi(context, { email, password }) {
  const response = await context.request.post(`${baseUrl}/api/v1/auth/login`, { data: { email, password } });
  if (!response.ok()) throw new Error(`sign-in as ${email} failed: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** A unique address for one test run. */
export function uniqueEmail(name) {
  return `${name}+${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@e2e.test`;
}

/**
 * The first link to `path` (e.g. /verify-email) in the newest e-mail to `to`,
 * read from the mail outbox through the API as the super admin. The list hides
 * links that carry a token, so each mail is opened (an audited reading).
 */
export async function linkFromOutbox(request, to, path) {
  await request.post(`${baseUrl}/api/v1/auth/login`, { data: admin });
  const response = await request.get(`${baseUrl}/api/v1/admin/mail-outbox`, { params: { q: to, limit: 5 } });
  if (!response.ok()) throw new Error(`mail outbox: ${response.status()}`);
  const { items } = await response.json();
  for (const listed of items) {
    const opened = await request.get(`${baseUrl}/api/v1/admin/mail-outbox/${listed.id}`);
    if (!opened.ok()) throw new Error(`mail outbox: ${opened.status()}`);
    const mail = await opened.json();
    const match = mail.body_text.match(new RegExp(`https?://\\S+${path.replace('/', '\\/')}\\?token=[\\w-]+`));
    if (match) return match[0];
  }
  throw new Error(`no ${path} link in mail to ${to}`);
}

/**
 * A customer account, registered and verified through the API, signed in
 * in `context`. Returns its credentials.
 */
export async function signInAsNewCustomer(context, name = 'customer') {
  const email = uniqueEmail(name);
  const password = 'correct horse battery staple';
  const categories = await (await context.request.get(`${baseUrl}/api/v1/public/categories`)).json();
  const registered = await context.request.post(`${baseUrl}/api/v1/auth/register`, {
    data: { email, password, name: 'Grace Hopper', company: 'Compilers Ltd', category_id: categories[0].id },
  });
  if (registered.status() !== 201) throw new Error(`register: ${registered.status()} ${await registered.text()}`);
  const outbox = await apiRequest.newContext();
  try {
    const link = await linkFromOutbox(outbox, email, '/verify-email');
    const token = new URL(link).searchParams.get('token');
    const verified = await context.request.post(`${baseUrl}/api/v1/auth/verify-email`, { data: { token } });
    if (!verified.ok()) throw new Error(`verify: ${verified.status()}`);
  } finally {
    await outbox.dispose();
  }
  await signInViaApi(context, { email, password });
  return { email, password };
}

/** The session GET /api/v1/me would describe for a stubbed user of `kind`. */
export function stubMe(kind, permissions) {
  const names = { platform: 'DIDtron Operator', customer: 'Analytical Engines Ltd', carrier: 'Wholesale Voice Carrier' };
  return {
    user: { id: 'u1', email: 'ada@example.com', name: 'Ada Lovelace', email_verified: true, two_factor: false, recovery_codes_left: 0 },
    tenant: { id: 't1', kind, name: names[kind] },
    role: kind === 'platform' ? 'super_admin' : 'owner',
    role_label: kind === 'platform' ? 'Super Admin' : 'Owner',
    permissions,
    credential: 'session',
  };
}

const carrierOwner = ['team.read', 'team.manage', 'api_keys.manage', 'services.read', 'billing.read', 'billing.manage', 'rates.manage'];

/**
 * A signed-in carrier owner without a server behind it (there is no API to
 * create carriers yet, and `vite preview` has no API at all): the few calls
 * the account screens make are answered with plausible data.
 */
export async function stubSession(context, kind = 'carrier', permissions = carrierOwner) {
  const me = stubMe(kind, permissions);
  const roles = [
    { code: 'owner', label: 'Owner' },
    { code: 'admin', label: 'Admin' },
    { code: 'billing', label: 'Billing' },
    { code: 'technical', label: 'Technical' },
    { code: 'viewer', label: 'Viewer' },
  ];
  const now = new Date().toISOString();
  const answers = {
    '/api/v1/me': me,
    '/api/v1/team': {
      members: [
        { id: 'u1', email: me.user.email, name: me.user.name, role: me.role, email_verified: true, two_factor: false, last_login_at: now, created_at: now },
      ],
      invitations: [],
      roles,
    },
    '/api/v1/api-keys': [],
    '/api/v1/me/sessions': [
      { id: 's1', ip: '127.0.0.1', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0.0.0', remember: false, created_at: now, last_seen_at: now, expires_at: now, current: true },
    ],
    '/api/v1/me/login-history': { items: [], total: 0, limit: 10, offset: 0 },
  };
  await context.route('**/api/v1/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (route.request().method() === 'GET' && path in answers) return route.fulfill({ json: answers[path] });
    return route.fulfill({
      status: 404,
      contentType: 'application/problem+json',
      json: { status: 404, code: 'not_found', message: 'not available in this stub' },
    });
  });
  return me;
}

/**
 * Screenshots the page in light, then dark (by switching the system
 * preference, so nothing is remembered), then returns to light.
 */
export async function screenshotBoth(page, name, options = {}) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshotPath(`${name}-light`), ...options });
  await page.emulateMedia({ colorScheme: 'dark' });
  await waitForScheme(page, 'dark');
  await page.waitForTimeout(150);
  await page.screenshot({ path: screenshotPath(`${name}-dark`), ...options });
  await page.emulateMedia({ colorScheme: 'light' });
  await waitForScheme(page, 'light');
}

/**
 * Calls the API from the page, as the signed-in user (with the CSRF header). The body is JSON, or
 * sent as it is with `raw` (a file). Answers { status, body } with the body parsed when it is JSON.
 */
export async function apiCall(page, method, path, body, raw = false) {
  return page.evaluate(
    async ({ method, path, body, raw }) => {
      const cookie = document.cookie.split('; ').find((c) => c.startsWith('didtron_csrf='));
      const csrf = cookie ? decodeURIComponent(cookie.slice('didtron_csrf='.length)) : '';
      const res = await fetch(path, {
        method,
        headers: { 'content-type': raw ? 'application/octet-stream' : 'application/json', 'x-csrf-token': csrf },
        body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: res.status, body: json };
    },
    { method, path, body, raw },
  );
}

/** Like apiCall, but fails the test unless the answer is 2xx; returns the body. */
export async function apiOk(page, method, path, body, raw) {
  const r = await apiCall(page, method, path, body, raw);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Asks `probe` every 250 ms until it returns something truthy, or fails after `ms`. */
export async function eventually(what, probe, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Lets the tables' "fetching" fade finish so screenshots show settled rows (`top`: scrolled up). */
export async function settle(page, { top = false } = {}) {
  await page.waitForLoadState('networkidle');
  if (top) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
}
