// Smoke journeys: every shell renders real content, the colour-scheme toggle
// works and is remembered, phones get a burger menu, nav links lead somewhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  admin,
  apiDocsPath,
  baseUrl,
  checkAccessibility,
  colorScheme,
  launchBrowser,
  newVisitor,
  preview,
  screenshotPath,
  signInAsNewCustomer,
  signInViaApi,
  stubSession,
  waitForScheme,
} from './harness.mjs';

const everything = [
  'team.read', 'team.manage', 'api_keys.manage', 'services.read', 'services.manage', 'billing.read', 'billing.manage',
  'rates.manage', 'customers.read', 'customers.manage', 'config.read', 'config.manage', 'finance.manage',
  'support.manage', 'marketing.manage', 'audit.read', 'system.manage',
];

/**
 * Portals need a session: the real super admin and a real new customer on
 * didtron; a stubbed carrier (no API creates carriers yet), and stubs for
 * everyone under `vite preview`, which has no API.
 */
async function signIn(context, kind) {
  if (preview) return stubSession(context, kind, everything);
  if (kind === 'platform') return signInViaApi(context, admin);
  if (kind === 'customer') return signInAsNewCustomer(context);
  return stubSession(context, 'carrier');
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** What each page must show before anything else is checked. */
const pages = [
  {
    name: 'website',
    path: '/',
    fullPage: true,
    async expectContent(page) {
      await page.getByRole('heading', { level: 1, name: /SIP trunks, DIDs and hosted PBX/ }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pricing' }).waitFor();
      await page.getByRole('link', { name: 'Get started' }).first().waitFor();
    },
  },
  {
    name: 'admin',
    path: '/admin',
    session: 'platform',
    async expectContent(page) {
      await page.getByRole('banner').getByText('Admin', { exact: true }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Admin navigation' });
      await nav.getByRole('link', { name: 'Dashboard' }).waitFor();
      await nav.getByRole('button', { name: 'Configuration' }).waitFor();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      // The dashboard lists what needs an operator (switch records not in step), or says nothing does.
      await page.getByText(/Nothing needs you|not in step/).first().waitFor();
    },
  },
  {
    name: 'customer',
    path: '/portal',
    session: 'customer',
    async expectContent(page) {
      await page.getByRole('banner').getByText('Customer portal', { exact: true }).waitFor();
      await page.getByRole('navigation', { name: 'Customer portal navigation' }).getByRole('link', { name: 'SIP trunks' }).waitFor();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    },
  },
  {
    name: 'carrier',
    path: '/carrier',
    session: 'carrier',
    async expectContent(page) {
      await page.getByRole('banner').getByText('Carrier portal', { exact: true }).waitFor();
      await page.getByRole('navigation', { name: 'Carrier portal navigation' }).getByRole('link', { name: 'Rates' }).waitFor();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    },
  },
  {
    name: 'api-docs',
    path: apiDocsPath,
    fullPage: false,
    // Scalar's reference is not ours to fix; its findings are logged (harness.mjs).
    thirdParty: ['.scalar-app'],
    async expectContent(page) {
      await page.getByRole('banner').getByText('API reference', { exact: true }).waitFor();
      await page.locator('.scalar-app').first().waitFor({ state: 'attached' });
      // didtron serves the real document; vite preview has none to load.
      if (!preview) await page.getByText('/healthz').first().waitFor();
    },
  },
];

describe('every page', () => {
  for (const spec of pages) {
    it(`${spec.name} (${spec.path}) renders, toggles dark mode and remembers it`, async () => {
      const { context, page, foreignRequests, pageErrors } = await newVisitor(browser);
      try {
        if (spec.session) await signIn(context, spec.session);
        await page.goto(baseUrl + spec.path);
        await spec.expectContent(page);
        assert.equal(await colorScheme(page), 'light', 'follows the system (light) by default');
        await checkAccessibility(page, spec.name, { thirdParty: spec.thirdParty });
        await page.screenshot({ path: screenshotPath(`${spec.name}-light`), fullPage: spec.fullPage ?? false });

        await page.getByRole('button', { name: 'Toggle colour scheme' }).click();
        await waitForScheme(page, 'dark');
        await page.mouse.move(0, 0); // no tooltip in the screenshot
        await page.screenshot({ path: screenshotPath(`${spec.name}-dark`), fullPage: spec.fullPage ?? false });

        await page.reload();
        await spec.expectContent(page);
        assert.equal(await colorScheme(page), 'dark', 'the choice survives a reload');

        await page.getByRole('button', { name: 'Toggle colour scheme' }).click();
        await waitForScheme(page, 'light');

        assert.deepEqual(foreignRequests, [], 'no request leaves the server');
        assert.deepEqual(pageErrors, [], 'no uncaught errors');
      } finally {
        await context.close();
      }
    });
  }
});

describe('on a phone (390 px)', () => {
  it('the portal navigation hides behind a burger', async () => {
    const { context, page, pageErrors } = await newVisitor(browser, { width: 390, height: 844 });
    try {
      await signIn(context, 'platform');
      await page.goto(`${baseUrl}/admin`);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      const burger = page.getByRole('button', { name: 'Open navigation' });
      await burger.waitFor();
      const nav = page.getByRole('navigation', { name: 'Admin navigation' });
      const box = await nav.boundingBox();
      assert.ok(box && box.x + box.width <= 0, 'nav starts off-screen');
      await page.screenshot({ path: screenshotPath('mobile-admin') });

      await burger.click();
      await nav.getByRole('link', { name: 'Dashboard' }).waitFor();
      await nav.getByRole('button', { name: 'Routing' }).click();
      await nav.getByRole('link', { name: 'Rate cards' }).waitFor();
      await page.waitForTimeout(300); // let the group finish opening
      await checkAccessibility(page, 'admin navigation on a phone');
      await page.screenshot({ path: screenshotPath('mobile-admin-nav') });
      await nav.getByRole('link', { name: 'Rate cards' }).click();
      await page.getByRole('heading', { level: 1, name: 'Rate cards' }).waitFor();
      await page.getByRole('button', { name: 'Open navigation' }).waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  it('the website menu hides behind a burger', async () => {
    const { context, page } = await newVisitor(browser, { width: 390, height: 844 });
    try {
      await page.goto(`${baseUrl}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.screenshot({ path: screenshotPath('mobile-website'), fullPage: true });
      await page.getByRole('button', { name: 'Open menu' }).click();
      await page.getByRole('dialog').getByRole('link', { name: 'Numbers' }).waitFor();
      await checkAccessibility(page, 'website menu on a phone');
      await page.screenshot({ path: screenshotPath('mobile-website-menu') });
      // Closed with its ×, the menu gives focus back to the burger.
      await page.getByRole('dialog').getByRole('button', { name: 'Close dialog' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Open menu');
    } finally {
      await context.close();
    }
  });
});

describe('navigation', () => {
  for (const [portal, path, kind] of [
    ['Admin', '/admin', 'platform'],
    ['Customer portal', '/portal', 'customer'],
    ['Carrier portal', '/carrier', 'carrier'],
  ]) {
    it(`every ${portal} link opens a screen titled after it`, async () => {
      const { context, page, pageErrors } = await newVisitor(browser);
      try {
        await signIn(context, kind);
        await page.goto(baseUrl + path);
        const nav = page.getByRole('navigation', { name: `${portal} navigation` });
        await nav.getByRole('link').first().waitFor();
        // Open every group so its links are visible.
        for (const group of await nav.getByRole('button').all()) {
          if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
        }
        // The portal's own screens (the nav also links to the website and API reference).
        const links = await nav.locator(`a[href^="${path}"]`).all();
        assert.ok(links.length >= 6, `${portal} has its screens (${links.length})`);
        for (const link of links) {
          const label = (await link.innerText()).trim();
          await link.click();
          await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
          assert.equal(await link.getAttribute('aria-current'), 'page', `${label} is marked current`);
          await page.waitForLoadState('networkidle');
          await checkAccessibility(page, `${portal}: ${label}`);
        }
        assert.deepEqual(pageErrors, []);
      } finally {
        await context.close();
      }
    });
  }

  it('unknown addresses get a 404 page, inside a portal and outside', async () => {
    const { context, page } = await newVisitor(browser);
    try {
      await signIn(context, 'platform');
      await page.goto(`${baseUrl}/no/such/page`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await checkAccessibility(page, 'website 404');
      await page.goto(`${baseUrl}/admin/no-such-screen`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await page.getByRole('navigation', { name: 'Admin navigation' }).waitFor();
      await page.getByRole('link', { name: 'Admin home', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('a signed-in user sees their name and can sign out', async () => {
    const { context, page, pageErrors } = await newVisitor(browser);
    try {
      // The session as GET /api/v1/me describes it; stubbed so the journey
      // does not depend on an account existing on the server under test.
      let signedIn = true;
      await page.route('**/api/v1/me', (route) =>
        signedIn
          ? route.fulfill({
              json: {
                user: {
                  id: 'u1',
                  email: 'ada@example.com',
                  name: 'Ada Lovelace',
                  email_verified: true,
                  two_factor: false,
                  recovery_codes_left: 0,
                },
                tenant: { id: 't1', kind: 'customer', name: 'Analytical Engines Ltd' },
                role: 'owner',
                role_label: 'Owner',
                permissions: [],
                credential: 'session',
              },
            })
          : route.fulfill({
              status: 401,
              contentType: 'application/problem+json',
              json: { status: 401, code: 'unauthenticated', message: 'Sign in first.' },
            }),
      );
      await page.route('**/api/v1/auth/logout', (route) => {
        signedIn = false;
        return route.fulfill({ status: 204 });
      });

      await page.goto(`${baseUrl}/portal`);
      const account = page.getByRole('button', { name: 'Ada Lovelace account menu' });
      await account.click();
      await page.getByText('ada@example.com').waitFor();
      await page.getByText('Analytical Engines Ltd · Owner').waitFor();
      await checkAccessibility(page, 'account menu open');
      await page.screenshot({ path: screenshotPath('user-menu') });
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: /SIP trunks, DIDs and hosted PBX/ }).waitFor();
      await page.goto(`${baseUrl}/portal`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('next'), '/portal');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  it('signed-out visitors are sent to sign in, and the portals to the right kind of user', async () => {
    const { context, page, pageErrors } = await newVisitor(browser);
    try {
      await page.goto(`${baseUrl}/admin/system/team`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/admin/system/team');
      await checkAccessibility(page, 'sign in');
      await page.screenshot({ path: screenshotPath('login') });
      await page.getByRole('main').getByRole('link', { name: 'Create one' }).click();
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.waitForLoadState('networkidle');
      await checkAccessibility(page, 'sign up');

      // A carrier who opens the customer portal lands in their own.
      await stubSession(context, 'carrier');
      await page.goto(`${baseUrl}/portal/team`);
      await page.getByRole('banner').getByText('Carrier portal', { exact: true }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/carrier');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
