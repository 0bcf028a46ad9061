// Shared set-up for the browser journeys: the system Chromium (no browser
// download), the server under test, and checks every page must pass.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
 * preference, so nothing is remembered), then returns to light; and checks
 * the screen's accessibility in both (checkAccessibility), so every screen a
 * journey photographs is also scanned as it is, dialogs open.
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
  await checkAccessibility(page, name);
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

// ---------------------------------------------------------------------------------------------
// Accessibility: axe-core's WCAG 2.1 A and AA rules on every screen the journeys visit.

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every finding of every scan, for reading after a run: e2e/screenshots/axe-results.jsonl. */
const axeLog = join(screenshotDir, 'axe-results.jsonl');

/**
 * Mantine's class names (m_xxxxxxxx) that have styles, from the packages' complete style sheets.
 * The app loads Mantine's CSS per chunk (web/src/app/styles.ts); a class on the page whose rules
 * were never loaded means a component is drawn unstyled.
 */
const mantineClasses = (() => {
  const web = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'node_modules');
  const sheets = ['@mantine/core/styles.css', '@mantine/dates/styles.css', '@mantine/notifications/styles.css', '@mantine/charts/styles.css'];
  const classes = new Set();
  for (const sheet of sheets) {
    const path = join(web, sheet);
    if (!existsSync(path)) return null; // web/ not installed: skip this check
    for (const m of readFileSync(path, 'utf8').matchAll(/\.(m_[0-9a-f]{8})\b/g)) classes.add(m[1]);
  }
  return [...classes];
})();

/** Mantine classes on the page (open dialogs and menus included) whose style sheet is not loaded. */
async function unstyledMantineClasses(page) {
  if (!mantineClasses) return [];
  return page.evaluate((known) => {
    const loaded = new Set();
    const walk = (rules) => {
      for (const rule of rules) {
        if (rule.selectorText) for (const m of rule.selectorText.matchAll(/\.(m_[0-9a-f]{8})/g)) loaded.add(m[1]);
        if (rule.cssRules) walk(rule.cssRules);
      }
    };
    for (const sheet of document.styleSheets) {
      try {
        walk(sheet.cssRules);
      } catch {
        // a sheet from elsewhere: none are allowed anyway
      }
    }
    const styled = new Set(known);
    const missing = new Set();
    for (const el of document.querySelectorAll('[class*="m_"]')) {
      for (const c of el.classList) if (styled.has(c) && !loaded.has(c)) missing.add(c);
    }
    return [...missing];
  }, mantineClasses);
}

/** One axe-core scan of the document as it is now (or of a part of it); answers the violations. */
async function axeViolations(page, context = { exclude: [] }) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async (context) => {
    const results = await window.axe.run(context, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: n.failureSummary })),
    }));
  }, context);
}

/**
 * Checks the screen as it is (with whatever dialog, drawer or menu is open) in the light and the
 * dark colour scheme: axe-core's WCAG 2.1 A and AA rules, failing on any critical or serious
 * violation (moderate and minor ones are logged to e2e/screenshots/axe-results.jsonl), and every
 * Mantine component on it styled. The scheme is switched through the system preference, so a
 * scheme the visitor chose with the toggle stays as it is (then only that one is checked).
 *
 * `thirdParty`: selectors of embedded code we do not write (the Scalar API reference); their
 * findings are logged, not failed on.
 */
export async function checkAccessibility(page, screen, { thirdParty = [] } = {}) {
  const chosen = await page.evaluate(() => localStorage.getItem('didtron-color-scheme'));
  const schemes = chosen && chosen !== 'auto' ? [chosen] : ['light', 'dark'];
  const systemWas = (await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)) ? 'dark' : 'light';
  const failures = [];
  for (const scheme of schemes) {
    if (!chosen || chosen === 'auto') {
      await page.emulateMedia({ colorScheme: scheme });
      await waitForScheme(page, scheme);
    }
    // Colours mid-transition would be measured wrong: wait for CSS transitions to end.
    await page.waitForTimeout(50);
    await page
      .waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'), null, { timeout: 3000 })
      .catch(() => {});
    const violations = await axeViolations(page, { exclude: thirdParty });
    appendFileSync(axeLog, `${JSON.stringify({ screen, scheme, url: page.url(), violations })}\n`);
    if (thirdParty.length > 0) {
      const theirs = await axeViolations(page, { include: thirdParty });
      appendFileSync(axeLog, `${JSON.stringify({ screen: `${screen} (third party: ${thirdParty})`, scheme, url: page.url(), violations: theirs })}\n`);
    }
    for (const v of violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')) {
      failures.push(`${scheme}: ${v.impact} ${v.id} (${v.help})\n${v.nodes.map((n) => `    ${n.target}: ${n.summary}`).join('\n')}`);
    }
  }
  if (!chosen || chosen === 'auto') {
    await page.emulateMedia({ colorScheme: systemWas });
    await waitForScheme(page, systemWas);
  }
  assert.deepEqual(failures, [], `accessibility of ${screen}:\n${failures.join('\n')}`);
  assert.deepEqual(await unstyledMantineClasses(page), [], `${screen}: Mantine components without their style sheet`);
}

/** The focused element, described for assertions: tag, role, accessible-ish name, and whether it is visible on screen. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '', visible: false, inDialog: false };
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const visible =
      rect.width > 0 &&
      rect.height > 0 &&
      rect.bottom > 0 &&
      rect.right > 0 &&
      rect.top < window.innerHeight &&
      rect.left < window.innerWidth &&
      style.visibility !== 'hidden' &&
      !el.closest('[aria-hidden="true"]');
    const labelled = el.getAttribute('aria-labelledby');
    const name = (
      el.getAttribute('aria-label') ??
      (labelled ? document.getElementById(labelled)?.textContent : null) ??
      (el.labels?.[0]?.textContent ?? null) ??
      el.textContent ??
      ''
    )
      .replace(/\s+/g, ' ')
      .trim();
    const outline = `${style.outlineStyle} ${style.outlineWidth}`;
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role') ?? '',
      name,
      visible,
      outline,
      inDialog: !!el.closest('[role="dialog"]'),
      dialog: el.closest('[role="dialog"]')?.querySelector('h2')?.textContent?.trim() ?? null,
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's name matches `name`, failing after
 * `max` presses: how a keyboard user gets somewhere. Answers the number of presses.
 */
export async function tabTo(page, name, { max = 40, back = false } = {}) {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (typeof name === 'string' ? now.name === name : name.test(now.name)) return presses;
  }
  assert.fail(`no ${name} within ${max} ${back ? 'Shift+Tab' : 'Tab'} presses (focus is on ${JSON.stringify(await focused(page))})`);
}
