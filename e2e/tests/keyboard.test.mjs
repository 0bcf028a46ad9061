// The keyboard-only journey (issue 15): sign in, open a configuration screen, create a voice tier,
// review it and push it to the switch, then edit and leave with Escape — with no mouse, asserting
// after every step where focus is: on a visible element that makes sense for the next step, never
// lost to <body>, never on "Push now" when the review opens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, baseUrl, focused, launchBrowser, newVisitor, preview, screenshotBoth, tabTo } from './harness.mjs';

const run = Date.now().toString(36);
const tier = { name: `Keyboard ${run}`, code: `kbd-${run}` };

/** Fails unless focus is on a visible element named `name` (a string or a pattern); answers it. */
async function expectFocus(page, name, what) {
  const now = await focused(page);
  assert.ok(now.visible, `${what}: focus is on a visible element (${JSON.stringify(now)})`);
  assert.match(now.name, typeof name === 'string' ? new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : name, `${what}: ${JSON.stringify(now)}`);
  return now;
}

/** Waits until the focused element's name matches, for focus that moves once something has loaded. */
async function waitForFocus(page, pattern, what) {
  try {
    await page.waitForFunction(
      (source) => {
        const el = document.activeElement;
        const name = (el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? el?.textContent ?? '').replace(/\s+/g, ' ').trim();
        return new RegExp(source).test(name);
      },
      pattern.source,
      { timeout: 10_000 },
    );
  } catch {
    assert.fail(`${what}: focus never reached ${pattern} (it is on ${JSON.stringify(await focused(page))})`);
  }
  return expectFocus(page, pattern, what);
}

describe('keyboard only', { skip: preview ? 'needs the didtron API' : false }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('signs in, creates a voice tier, reviews and pushes it, with focus always visible and meaningful', async () => {
    const { context, page, pageErrors } = await newVisitor(browser);
    try {
      // The website: the first Tab stop is the skip link, shown while it has focus.
      await page.goto(`${baseUrl}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.keyboard.press('Tab');
      await expectFocus(page, 'Skip to content', 'first Tab on the home page');
      await screenshotBoth(page, 'keyboard-home-skip-link');

      // To sign in: Tab to the header's link and follow it. The sign-in page focuses its e-mail field.
      await tabTo(page, 'Sign in');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await waitForFocus(page, /^E-mail address/, 'sign-in page opened');
      await screenshotBoth(page, 'keyboard-sign-in');
      await page.keyboard.type(admin.email);
      await page.keyboard.press('Tab');
      await expectFocus(page, /^Password/, 'Tab from the e-mail field');
      await page.keyboard.type(admin.password);
      // The show-password toggle is a Tab stop of its own.
      await page.keyboard.press('Tab');
      await expectFocus(page, 'Show password', 'Tab from the password field');
      await page.keyboard.press('Space');
      assert.equal(await page.locator('input[autocomplete="current-password"]').getAttribute('type'), 'text', 'the toggle shows the password');
      await page.keyboard.press('Space');
      await tabTo(page, 'Sign in', { max: 5 });
      await page.keyboard.press('Enter');

      // Signed in, the admin opens with focus on its heading, and its title is announced.
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await waitForFocus(page, /^Dashboard$/, 'after signing in');
      await page.getByTestId('announcer').getByText(/Dashboard/).waitFor();

      // Skip link on the portal: the first Tab stop after a reload, and it lands on the heading.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await page.keyboard.press('Tab');
      await expectFocus(page, 'Skip to content', 'first Tab in the admin');
      await page.keyboard.press('Enter');
      await expectFocus(page, 'Dashboard', 'the skip link was followed');

      // Through the navigation to Configuration → Voice tiers.
      await page.keyboard.press('Shift+Tab');
      await tabTo(page, 'Configuration', { back: true });
      if ((await page.getByRole('button', { name: 'Configuration' }).getAttribute('aria-expanded')) !== 'true') {
        await page.keyboard.press('Enter');
      }
      await tabTo(page, 'Voice tiers', { max: 5 });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Voice tiers' }).waitFor();
      await waitForFocus(page, /^Voice tiers$/, 'the Voice tiers screen opened');

      // "New voice tier" opens the drawer on its first field.
      await tabTo(page, 'New voice tier', { max: 5 });
      await screenshotBoth(page, 'keyboard-list');
      await page.keyboard.press('Enter');
      const drawer = page.getByRole('dialog', { name: 'New voice tier' });
      await drawer.waitFor();
      const first = await waitForFocus(page, /^Name/, 'the drawer opened');
      assert.ok(first.inDialog, 'focus is inside the drawer');
      await page.keyboard.type(tier.name);
      await page.keyboard.press('Tab');
      await expectFocus(page, /^Code/, 'Tab to the code');
      await page.keyboard.type(tier.code);
      await tabTo(page, /^Target ASR/, { max: 3 });
      await page.keyboard.type('55');
      await page.keyboard.press('Tab');
      await expectFocus(page, /^Target PDD/, 'Tab to the post-dial delay');
      await page.keyboard.type('2500');
      await page.keyboard.press('Tab');
      await expectFocus(page, /^Rate/, 'Tab to the rate');
      await page.keyboard.press('ControlOrMeta+A'); // it starts at 0.00
      await page.keyboard.type('0.0125');
      await screenshotBoth(page, 'keyboard-drawer');

      // Save → the review opens on its close button, never on "Push now".
      await tabTo(page, 'Create voice tier…', { max: 30 });
      await page.keyboard.press('Enter');
      const review = page.getByRole('dialog', { name: `Review voice tier ${tier.name}` });
      await review.waitFor();
      const opened = await waitForFocus(page, /^Close dialog$/, 'the review opened');
      assert.equal(opened.dialog, `Review voice tier ${tier.name}`, 'focus is in the review dialog');
      await screenshotBoth(page, 'keyboard-review');

      // Escape leaves the review for the drawer, on the button that opened it.
      await page.keyboard.press('Escape');
      await review.waitFor({ state: 'detached' });
      await waitForFocus(page, /^Create voice tier…$/, 'Escape from the review');

      // Again, and this time to "Push now", which focus scrolls into view.
      await page.keyboard.press('Enter');
      await review.waitFor();
      await waitForFocus(page, /^Close dialog$/, 'the review opened again');
      await tabTo(page, 'Push now', { max: 30 });
      await expectFocus(page, 'Push now', 'Tab to Push now');
      await page.keyboard.press('Enter');

      // Pushed: both dialogs close, a toast in a polite live region says so, focus is back on the
      // button that opened the drawer.
      await review.waitFor({ state: 'detached' });
      await drawer.waitFor({ state: 'detached' });
      await page.locator('[aria-live="polite"]').getByText('Voice tier created').waitFor();
      await waitForFocus(page, /^New voice tier$/, 'after the push');

      // Someone who went to the toast to dismiss it comes back to where they were.
      await page.getByRole('button', { name: 'Dismiss notification' }).first().focus();
      await page.keyboard.press('Enter');
      await page.getByText('Voice tier created').waitFor({ state: 'detached' });
      await waitForFocus(page, /^New voice tier$/, 'after dismissing the toast');
      await page.getByRole('row', { name: new RegExp(tier.name) }).waitFor();

      // Its row's menu, by keyboard: Edit opens the drawer; Escape returns to the menu button.
      await tabTo(page, `Actions for ${tier.name}`, { max: 80 });
      await page.keyboard.press('Enter');
      await waitForFocus(page, /^Edit$/, 'the row menu opened');
      await page.keyboard.press('Enter');
      const edit = page.getByRole('dialog', { name: new RegExp(`Voice tier ${tier.name}`) });
      await edit.waitFor();
      await waitForFocus(page, /^Name/, 'the edit drawer opened');
      await screenshotBoth(page, 'keyboard-edit-drawer');
      await page.keyboard.press('Escape');
      await edit.waitFor({ state: 'detached' });
      await waitForFocus(page, new RegExp(`^Actions for ${tier.name}$`), 'Escape from the edit drawer');

      // The focus ring is drawn: 2 px, solid.
      const ring = await focused(page);
      assert.equal(ring.outline, 'solid 2px', `the focused control shows its ring (${JSON.stringify(ring)})`);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
