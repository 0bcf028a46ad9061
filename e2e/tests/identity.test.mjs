// Identity journeys in the real browser against a real didtron: sign-up with a category, e-mail
// verification through the super admin's mail outbox, sign-in, 2FA enrolment and sign-in with a
// code, a wrong password, team invitations and API keys. Screenshots of each screen, light and dark.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOTP } from 'otpauth';
import {
  admin,
  baseUrl,
  launchBrowser,
  newVisitor,
  preview,
  screenshotBoth,
  screenshotPath,
  signInViaApi,
  uniqueEmail,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The server accepts each 30-second TOTP step once; the step a code belongs to. */
const step = (ms = Date.now()) => Math.floor(ms / 30_000);

/** Waits until the step after `used` has begun, then returns a fresh code. */
async function freshCode(totp, used) {
  while (step() <= used) await new Promise((resolve) => setTimeout(resolve, 500));
  return { code: totp.generate(), step: step() };
}

/** Signs in through the form as `who`; leaves the page wherever the server sends it. */
async function fillSignIn(page, who) {
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** As the super admin, in the mail outbox: opens the newest mail to `to` and returns its link to `path`. */
async function openMailLink(page, to, subject, path) {
  await page.goto(`${baseUrl}/admin/system/outbox`);
  await page.getByRole('heading', { level: 1, name: 'Mail outbox' }).waitFor();
  const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/admin/mail-outbox?') && r.url().includes(`q=${encodeURIComponent(to)}`));
  await page.getByRole('textbox', { name: 'Search mail' }).fill(to);
  await filtered;
  const row = page.getByRole('button', { name: subject }).first();
  await row.waitFor();
  await page.locator('table').getByText(to).first().waitFor();
  await row.click();
  const drawer = page.getByRole('dialog');
  const link = drawer.locator(`a[href*="${path}?token="]`);
  await link.waitFor();
  return { href: await link.getAttribute('href'), drawer };
}

describe('identity', { skip: preview && 'needs the didtron API' }, () => {
  it('a new customer signs up, verifies the e-mail, enrols 2FA and signs in with a code', async () => {
    const visitor = await newVisitor(browser);
    const operator = await newVisitor(browser);
    const { page } = visitor;
    const adminPage = operator.page;
    const customer = { name: 'Ada Lovelace', email: uniqueEmail('ada'), password: 'analytical engine 1843' };
    try {
      // Sign up with a category.
      await page.goto(`${baseUrl}/register`);
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.getByRole('radio', { name: 'Enterprise' }).waitFor();
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Choose what describes you best').waitFor();
      await page.getByText('Must be at least 12 characters').waitFor();
      await screenshotBoth(page, 'register-errors', { fullPage: true });
      await page.getByRole('radio', { name: 'Enterprise' }).check();
      await page.getByLabel('Your name').fill(customer.name);
      await page.getByLabel('Company').fill('Analytical Engines Ltd');
      await page.getByLabel('Work e-mail').fill(customer.email);
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(customer.password);
      await screenshotBoth(page, 'register', { fullPage: true });
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
      await page.getByText(customer.email).waitFor();
      await screenshotBoth(page, 'register-check-inbox');

      // Not verified yet: sign-in says so and offers a new link.
      await page.goto(`${baseUrl}/login`);
      await fillSignIn(page, customer);
      await page.getByRole('alert').getByText(/verify your e-mail address/i).waitFor();
      await page.getByRole('button', { name: 'Resend verification link' }).waitFor();
      await screenshotBoth(page, 'login-unverified');

      // The super admin reads the verification mail in the outbox.
      await adminPage.goto(`${baseUrl}/login`);
      await fillSignIn(adminPage, admin);
      await adminPage.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.equal(new URL(adminPage.url()).pathname, '/admin', 'a platform user lands in the admin portal');
      const { href, drawer } = await openMailLink(adminPage, customer.email, 'Verify your e-mail address', '/verify-email');
      await drawer.getByText('verify_email').waitFor();
      await screenshotBoth(adminPage, 'outbox-mail');
      await adminPage.keyboard.press('Escape');
      await screenshotBoth(adminPage, 'outbox');

      // The new user opens the link (same server; the e2e runner's public URL is the listen address).
      const link = new URL(href);
      await page.goto(`${baseUrl}${link.pathname}${link.search}`);
      await page.getByRole('heading', { level: 1, name: 'E-mail address verified' }).waitFor();
      await screenshotBoth(page, 'verify-email');

      // Sign in: the customer lands in the customer portal.
      await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await fillSignIn(page, customer);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/portal');

      // Enrol 2FA: read the secret from the page, compute the code here.
      await page.goto(`${baseUrl}/portal/profile`);
      await page.getByRole('heading', { level: 1, name: 'Profile & security' }).waitFor();
      await page.getByRole('table', { name: 'Sessions' }).getByText('This device').waitFor();
      await page.getByRole('table', { name: 'Sign-in history' }).getByText('Signed in').first().waitFor();
      await screenshotBoth(page, 'profile', { fullPage: true });
      await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
      const secretCode = page.getByTestId('totp-secret');
      await page.waitForFunction(() => /^[A-Z2-7]{16,}$/.test(document.querySelector('[data-testid="totp-secret"]')?.textContent ?? ''));
      const secret = (await secretCode.textContent()).trim();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      await screenshotBoth(page, 'twofactor-enrol');
      const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' });
      const enrolled = { code: totp.generate(), step: step() };
      await page.getByLabel('Code from the app').fill(enrolled.code);
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByText('Save these codes now').waitFor();
      const codes = await page.getByTestId('recovery-codes').locator('p').allTextContents();
      assert.equal(codes.filter((c) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(c.trim())).length, 10, 'ten recovery codes');
      await screenshotBoth(page, 'twofactor-recovery-codes');
      await page.getByRole('button', { name: 'I have saved my codes' }).click();
      await page.getByRole('region', { name: 'Two-factor authentication' }).getByText('10 of 10 recovery codes left.').waitFor();
      await screenshotBoth(page, 'profile-2fa-on', { fullPage: true });

      // Sign out, then in again: the code step appears; a fresh code lets the customer in.
      await page.getByRole('button', { name: `${customer.name} account menu` }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: /SIP trunks, DIDs and hosted PBX/ }).waitFor();
      await page.goto(`${baseUrl}/portal/api-keys`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('next'), '/portal/api-keys', 'signed out, a portal sends you to sign in');
      await fillSignIn(page, customer);
      await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
      await screenshotBoth(page, 'login-2fa');
      await page.getByLabel('Authentication code').fill('000000');
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByText('Wrong or already used code').waitFor();
      const fresh = await freshCode(totp, enrolled.step);
      await page.getByLabel('Authentication code').fill(fresh.code);
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/portal/api-keys', 'back where the user was going');
      await page.getByRole('navigation', { name: 'Customer portal navigation' }).getByRole('link', { name: 'Dashboard' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/portal');

      // A customer cannot open the admin portal: it sends them home.
      await page.goto(`${baseUrl}/admin/system/outbox`);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/portal');

      for (const v of [visitor, operator]) {
        assert.deepEqual(v.foreignRequests, [], 'no request leaves the server');
        assert.deepEqual(v.pageErrors, [], 'no uncaught errors');
      }
    } finally {
      await visitor.context.close();
      await operator.context.close();
    }
  });

  it('a wrong password shows the error message', async () => {
    const { context, page, pageErrors } = await newVisitor(browser);
    try {
      await page.goto(`${baseUrl}/login?next=/admin/system/team`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await screenshotBoth(page, 'login');
      await fillSignIn(page, { email: admin.email, password: 'not the password at all' });
      await page.getByRole('alert').getByText('Wrong e-mail address or password').waitFor();
      assert.equal(new URL(page.url()).pathname, '/login', 'still on the sign-in page');
      await screenshotBoth(page, 'login-error');

      // The right one goes on to `next`.
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/admin/system/team');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  it('the team invites a colleague who joins, and an API key shows its token once', async () => {
    const { context, page, pageErrors } = await newVisitor(browser);
    const colleague = { name: 'Katherine Johnson', email: uniqueEmail('katherine'), password: 'orbital mechanics 1962' };
    try {
      await signInViaApi(context, admin);

      // Team: invite with a role.
      await page.goto(`${baseUrl}/admin/system/team`);
      await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
      await page.getByRole('table', { name: 'Members' }).getByText(admin.email).waitFor();
      await page.getByRole('button', { name: 'Invite member' }).click();
      const invite = page.getByRole('dialog', { name: 'Invite a team member' });
      await invite.getByLabel('E-mail address').fill(colleague.email);
      await invite.getByRole('combobox', { name: 'Role' }).click();
      await page.getByRole('option', { name: 'Support' }).click();
      await screenshotBoth(page, 'team-invite');
      await invite.getByRole('button', { name: 'Send invitation' }).click();
      const invitations = page.getByRole('table', { name: 'Pending invitations' });
      await invitations.getByText(colleague.email).waitFor();
      await invitations.getByText('Support').waitFor();
      await screenshotBoth(page, 'team', { fullPage: true });

      // The colleague accepts from the e-mailed link and signs in.
      const { href } = await openMailLink(page, colleague.email, /You are invited to join/, '/accept-invite');
      await page.keyboard.press('Escape');
      const guest = await newVisitor(browser);
      try {
        const link = new URL(href);
        await guest.page.goto(`${baseUrl}${link.pathname}${link.search}`);
        await guest.page.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
        await guest.page.getByLabel('Your name').fill(colleague.name);
        await guest.page.getByRole('textbox', { name: 'Password', exact: true }).fill(colleague.password);
        await screenshotBoth(guest.page, 'accept-invite');
        await guest.page.getByRole('button', { name: 'Join the team' }).click();
        await guest.page.getByRole('heading', { level: 1, name: 'You have joined the team' }).waitFor();
        await guest.page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
        await fillSignIn(guest.page, colleague);
        await guest.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
        // Support may read the team but not manage it, and sees no mail outbox.
        await guest.page.goto(`${baseUrl}/admin/system/team`);
        await guest.page.getByRole('table', { name: 'Members' }).getByText(colleague.email).waitFor();
        assert.equal(await guest.page.getByRole('button', { name: 'Invite member' }).count(), 0, 'no invite button without team.manage');
        await guest.page.getByRole('navigation', { name: 'Admin navigation' }).getByRole('button', { name: 'System' }).waitFor();
        assert.equal(
          await guest.page.getByRole('navigation', { name: 'Admin navigation' }).getByRole('link', { name: 'Mail outbox' }).count(),
          0,
          'no outbox link without system.manage',
        );
        assert.deepEqual(guest.pageErrors, []);
      } finally {
        await guest.context.close();
      }
      await page.goto(`${baseUrl}/admin/system/team`);
      await page.getByRole('table', { name: 'Members' }).getByText(colleague.email).waitFor();
      await page.getByText('No pending invitations').waitFor();

      // API keys: create one; the token shows once and works.
      await page.goto(`${baseUrl}/admin/system/api-keys`);
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
      await page.getByText('No API keys yet').waitFor();
      await screenshotBoth(page, 'api-keys-empty');
      await page.getByRole('button', { name: 'Create API key' }).first().click();
      const create = page.getByRole('dialog', { name: 'Create an API key' });
      await create.getByLabel('Name').fill('Billing export');
      await create.getByRole('combobox', { name: 'Role' }).click();
      await page.getByRole('option', { name: 'Finance' }).click();
      await screenshotBoth(page, 'api-key-create');
      await create.getByRole('button', { name: 'Create key' }).click();
      const shown = page.getByRole('dialog', { name: 'Copy your API key now' });
      await shown.getByText('This is the only time you will see it').waitFor();
      const token = (await shown.getByTestId('api-key-token').textContent()).trim();
      assert.match(token, /^dk_[A-Za-z0-9]+\.[A-Za-z0-9_-]{20,}$/);
      await screenshotBoth(page, 'api-key-created');
      const asKey = await context.request.get(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(asKey.status(), 200, 'the token authenticates');
      assert.equal((await asKey.json()).role, 'finance');
      await shown.getByRole('button', { name: 'I have copied the key' }).click();
      const keys = page.getByRole('table', { name: 'API keys' });
      await keys.getByText('Billing export').waitFor();
      await keys.getByText('Active').waitFor();
      assert.equal(await page.getByText(token).count(), 0, 'the secret is not shown again');
      await screenshotBoth(page, 'api-keys');

      // Revoke, confirmed in a modal.
      await keys.getByRole('button', { name: 'Revoke' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke API key Billing export?' });
      await screenshotBoth(page, 'api-key-revoke');
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await keys.getByText('Revoked').waitFor();
      const revoked = await context.request.get(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(revoked.status(), 401, 'a revoked key is refused');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  it('a forgotten password is reset from the e-mailed link', async () => {
    const { context, page, pageErrors } = await newVisitor(browser);
    const operator = await newVisitor(browser);
    try {
      // A fresh colleague of the operator, so no other journey's password changes.
      const person = { email: uniqueEmail('grace'), password: 'first password 2026' };
      await signInViaApi(operator.context, admin);
      const invited = await operator.context.request.post(`${baseUrl}/api/v1/team/invitations`, {
        data: { email: person.email, role: 'viewer' },
        headers: { 'x-csrf-token': (await operator.context.cookies()).find((c) => c.name === 'didtron_csrf').value },
      });
      assert.equal(invited.status(), 201);
      const { href: inviteLink } = await openMailLink(operator.page, person.email, /You are invited/, '/accept-invite');
      const accepted = await context.request.post(`${baseUrl}/api/v1/auth/invitations/accept`, {
        data: { token: new URL(inviteLink).searchParams.get('token'), name: 'Grace Hopper', password: person.password },
      });
      assert.equal(accepted.status(), 200);

      await page.goto(`${baseUrl}/login`);
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { level: 1, name: 'Forgot your password?' }).waitFor();
      await page.getByLabel('E-mail address').fill(person.email);
      await screenshotBoth(page, 'forgot-password');
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();

      const { href } = await openMailLink(operator.page, person.email, 'Reset your DIDtron password', '/reset-password');
      const link = new URL(href);
      await page.goto(`${baseUrl}${link.pathname}${link.search}`);
      await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
      await page.getByRole('textbox', { name: 'New password', exact: true }).fill('short');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.getByText('Must be at least 12 characters').waitFor();
      await screenshotBoth(page, 'reset-password');
      person.password = 'second password 2026';
      await page.getByRole('textbox', { name: 'New password', exact: true }).fill(person.password);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.getByRole('heading', { level: 1, name: 'Password changed' }).waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
      await fillSignIn(page, person);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/admin');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
      await operator.context.close();
    }
  });

  it('sign-up and sign-in work on a phone (390 px)', async () => {
    const { context, page, pageErrors } = await newVisitor(browser, { width: 390, height: 844 });
    try {
      await page.goto(`${baseUrl}/register`);
      await page.getByRole('radio', { name: 'Enterprise' }).waitFor();
      await page.screenshot({ path: screenshotPath('mobile-register'), fullPage: true });
      await page.goto(`${baseUrl}/login`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.screenshot({ path: screenshotPath('mobile-login') });
      await fillSignIn(page, admin);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await page.goto(`${baseUrl}/admin/profile`);
      await page.getByRole('heading', { level: 1, name: 'Profile & security' }).waitFor();
      await page.getByRole('table', { name: 'Sessions' }).waitFor();
      await page.screenshot({ path: screenshotPath('mobile-profile') });
      await page.getByRole('table', { name: 'Sessions' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('mobile-profile-sessions') });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page fits the phone (${overflow} px too wide)`);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
