// Configuration journeys: the operator gives one customer a private channel/CPS plan through the
// assignment editor and the preview, the customer sees it and another does not; a category with
// customers refuses to be deleted; a version is rolled back; a draft is pushed; a DID provider's
// inventory is filled and synced. Every new screen is photographed in light and dark mode.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { baseUrl, checkAccessibility, launchBrowser, newVisitor, preview, screenshotPath, apiCall as call, apiOk as ok } from './harness.mjs';

const ADMIN = { email: process.env.DIDTRON_ADMIN_EMAIL ?? 'admin@e2e.test', password: process.env.DIDTRON_ADMIN_PASSWORD ?? 'e2e-admin-password' };
const run = Date.now().toString(36);
const password = 'correct horse battery staple';
const customerA = { email: `a-${run}@example.test`, name: 'Ada Admin', company: `Acme ${run}` };
const customerB = { email: `b-${run}@example.test`, name: 'Bob Buyer', company: `Bravo ${run}` };
const planName = `Private 30 ${run}`;

async function signIn(page, email, pw) {
  await page.goto(`${baseUrl}/`);
  await ok(page, 'POST', '/api/v1/auth/login', { email, password: pw });
}

/** Registers a customer in a category and verifies the e-mail with the token from the outbox. */
async function registerCustomer(visitorPage, adminPage, customer, categoryId) {
  await visitorPage.goto(`${baseUrl}/`);
  await ok(visitorPage, 'POST', '/api/v1/auth/register', { ...customer, password, category_id: categoryId });
  const outbox = await ok(adminPage, 'GET', `/api/v1/admin/mail-outbox?q=${encodeURIComponent(customer.email)}`);
  // The list hides links with tokens; opening the mail (an audited reading) shows them.
  const listed = outbox.items.find((m) => m.template === 'verify_email');
  assert.ok(listed, `a verification mail for ${customer.email}`);
  const mail = await ok(adminPage, 'GET', `/api/v1/admin/mail-outbox/${listed.id}`);
  const token = /verify-email\?token=([\w-]+)/.exec(mail.body_text)[1];
  await ok(visitorPage, 'POST', '/api/v1/auth/verify-email', { token });
}

async function shot(page, name) {
  await page.waitForTimeout(250);
  await page.screenshot({ path: screenshotPath(name) });
}

describe('configuration', { skip: preview ? 'needs the didtron API' : false }, () => {
  let browser;
  let admin;
  let sipTrunkId;

  before(async () => {
    browser = await launchBrowser();
    admin = await newVisitor(browser);
    await signIn(admin.page, ADMIN.email, ADMIN.password);

    const categories = await ok(admin.page, 'GET', '/api/v1/public/categories');
    sipTrunkId = categories.find((c) => c.code === 'sip_trunk').id;
    const visitor = await newVisitor(browser);
    await registerCustomer(visitor.page, admin.page, customerA, sipTrunkId);
    await registerCustomer(visitor.page, admin.page, customerB, sipTrunkId);
    await visitor.context.close();

    // A little of everything, so each screen has something to show.
    const all = [{ scope: { kind: 'all' } }];
    const seed = (kind, fields, assignments) => ok(admin.page, 'POST', `/api/v1/config/${kind}`, { fields, assignments });
    await seed('group', { category_id: sipTrunkId, code: `vip-${run}`, name: 'VIP' });
    await seed('pop', { code: `fra-${run}`, name: 'Frankfurt', region: 'Europe', sip_hosts: ['sip.fra.example.com', '203.0.113.10:5080'], transport: 'udp' }, all);
    await seed('pop', { code: `nyc-${run}`, name: 'New York', region: 'North America', sip_hosts: ['sip.nyc.example.com'], status: 'maintenance' }, all);
    await seed('voice_tier', { code: `premium-${run}`, name: 'Premium', target_asr: 55, target_pdd_ms: 2500, rate_per_minute: 12_500, currency: 'USD' }, all);
    await seed('voice_tier', { code: `standard-${run}`, name: 'Standard', target_asr: 40, target_pdd_ms: 4000, rate_per_minute: 7_250, currency: 'USD' }, all);
    await seed('codec', { code: `pcmu-${run}`, name: 'G.711 µ-law', payload_type: 0, priority: 10 }, all);
    await seed('codec', { code: `pcma-${run}`, name: 'G.711 A-law', payload_type: 8, priority: 20 }, all);
    await seed('codec', { code: `g729-${run}`, name: 'G.729', payload_type: 18, priority: 30 }, all);
    await seed('auth_method', { code: `digest-${run}`, name: 'Username and password', method: 'userpass' }, all);
    await seed('auth_method', { code: `ip-${run}`, name: 'IP address', method: 'ip' }, [{ scope: { kind: 'category', id: sipTrunkId } }]);
    await seed('plan', { code: `starter-${run}`, name: 'Starter 10', channels: 10, cps: 2, monthly_price: 19_990_000, currency: 'USD' }, all);
    // Countries are unique: seed them once per server.
    const countries = await ok(admin.page, 'GET', '/api/v1/config/did_country?limit=200');
    if (countries.items.length === 0) {
      await seed('did_country', { iso_code: 'GB', monthly_price: 1_500_000, setup_price: 0 }, all);
      await seed(
        'did_country',
        { iso_code: 'DE', kyc_required: true, kyc_type: 'both', required_documents: ['Passport', 'Proof of address'], setup_price: 2_000_000, monthly_price: 2_500_000, currency: 'EUR' },
        all,
      );
    }
  });

  after(async () => {
    await admin?.context.close();
    await browser?.close();
  });

  it('gives customer A a private channel/CPS plan through the assignment editor and the preview', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/config/channel-plans`);
    await page.getByRole('heading', { level: 1, name: 'Channel/CPS plans' }).waitFor();
    await page.getByRole('button', { name: 'New channel/CPS plan' }).first().click();

    const drawer = page.getByRole('dialog', { name: 'New channel/CPS plan' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(planName);
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(`private-${run}`);
    await drawer.getByRole('textbox', { name: 'Channels', exact: true }).fill('30');
    await drawer.getByRole('textbox', { name: 'CPS', exact: true }).fill('5');
    await drawer.getByRole('textbox', { name: 'Monthly price', exact: true }).fill('49.5');

    // The client refuses what the server would: an empty customer for a private record.
    await drawer.getByText('Private to one customer', { exact: true }).click();
    await drawer.getByRole('button', { name: 'Create channel/CPS plan…' }).click();
    await drawer.getByText('Choose the customer this record is private to.').waitFor();

    await drawer.getByRole('combobox', { name: 'Private to' }).fill(customerA.company);
    await page.getByRole('option', { name: customerA.company }).click();
    await drawer.getByTestId('assignment-summary').getByText(`Only customer ${customerA.company} (private)`).waitFor();
    await checkAccessibility(page, 'plan drawer with a field error fixed');
    await shot(page, 'config-plan-editor-light');

    await drawer.getByRole('button', { name: 'Create channel/CPS plan…' }).click();
    const review = page.getByRole('dialog', { name: `Review channel/CPS plan ${planName}` });
    await review.getByText('1 customer’s service changes').waitFor();
    await review.getByLabel('Affected customers').getByText(customerA.company).waitFor();
    await review.getByText('USD 49.50').waitFor();
    await checkAccessibility(page, 'review dialog over the plan drawer');
    await shot(page, 'config-plan-preview-light');
    await review.getByRole('button', { name: 'Push now' }).click();

    await page.getByText('Channel/CPS plan created').waitFor();
    const row = page.getByRole('row', { name: new RegExp(planName) });
    await row.getByText(`Only customer ${customerA.company} (private)`).waitFor();
    await row.getByText('USD 49.50').waitFor();
  });

  it('shows the plan to customer A in “What you can choose”, and not to customer B', async () => {
    for (const [customer, sees] of [
      [customerA, true],
      [customerB, false],
    ]) {
      const visitor = await newVisitor(browser);
      await signIn(visitor.page, customer.email, password);
      await visitor.page.goto(`${baseUrl}/portal/trunks`);
      const choices = visitor.page.getByRole('region', { name: 'What you can choose' });
      const plans = choices.getByRole('region', { name: 'Channel/CPS plans' });
      await plans.waitFor();
      await plans.getByText('Starter 10').waitFor();
      assert.equal(await plans.getByText(planName).count(), sees ? 1 : 0, `${customer.company} ${sees ? 'sees' : 'does not see'} the private plan`);
      if (sees) {
        await plans.getByText(/30 channels · 5 CPS · USD 49\.50\/month/).waitFor();
        await choices.getByRole('region', { name: 'Authentication' }).getByText('Default').waitFor();
        for (const scheme of ['light', 'dark']) {
          await visitor.page.emulateMedia({ colorScheme: scheme });
          await visitor.page.reload();
          await plans.getByText(planName).waitFor();
          await shot(visitor.page, `config-portal-choices-${scheme}`);
        }
      }
      assert.deepEqual(visitor.pageErrors, []);
      await visitor.context.close();
    }
  });

  it('creates a category, and refuses to delete SIP Trunk while customers are in it', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/categories`);
    await page.getByRole('heading', { level: 1, name: 'Categories & groups' }).waitFor();
    await page.getByRole('article', { name: 'Category SIP Trunk' }).getByText('customers').waitFor();

    await page.getByRole('button', { name: 'New category' }).first().click();
    const drawer = page.getByRole('dialog', { name: 'New category' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(`Wholesale ${run}`);
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(`Bad code!`);
    await drawer.getByRole('button', { name: 'Create category…' }).click();
    await drawer.getByText('May contain only letters, digits, _ and -').waitFor();
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(`wholesale-${run}`);
    await drawer.getByRole('button', { name: 'Create category…' }).click();
    await page.getByRole('dialog', { name: `Review category Wholesale ${run}` }).getByRole('button', { name: 'Push now' }).click();
    await page.getByText('Category created').waitFor();
    await page.getByRole('table', { name: 'Categories' }).getByText(`Wholesale ${run}`).waitFor();

    await page.getByRole('button', { name: 'Actions for SIP Trunk' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const refusal = page.getByRole('dialog', { name: 'Delete category SIP Trunk?' });
    await refusal.getByText('This change cannot be pushed').waitFor();
    await refusal.getByText(/customers are still in it; move them to another category first/).waitFor();
    assert.equal(await refusal.getByRole('button', { name: 'Delete category' }).count(), 0, 'no way to push a blocked delete');
    await checkAccessibility(page, 'refused delete dialog');
    await shot(page, 'config-category-delete-refused-light');
    await refusal.getByRole('button', { name: 'Close' }).last().click();
  });

  it('rolls a plan back to an earlier version from the history drawer', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/config/channel-plans`);
    await page.getByRole('button', { name: `Actions for ${planName}` }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const drawer = page.getByRole('dialog', { name: new RegExp(`Channel/CPS plan ${planName}`) });
    await drawer.getByRole('textbox', { name: 'Channels', exact: true }).fill('60');
    await drawer.getByRole('button', { name: 'Save…' }).click();
    const review = page.getByRole('dialog', { name: `Review channel/CPS plan ${planName}` });
    await review.getByRole('row', { name: /Channels 30 60/ }).waitFor();
    await review.getByRole('button', { name: 'Push now' }).click();
    await page.getByText('Channel/CPS plan saved').waitFor();
    const row = page.getByRole('row', { name: new RegExp(planName) });
    await row.getByRole('cell', { name: '60', exact: true }).waitFor();

    await page.getByRole('button', { name: `Actions for ${planName}` }).click();
    await page.getByRole('menuitem', { name: 'History' }).click();
    const history = page.getByRole('dialog', { name: `History of channel/CPS plan ${planName}` });
    await history.getByRole('article', { name: 'Version 2' }).getByText('Current').waitFor();
    await checkAccessibility(page, 'history drawer');
    await shot(page, 'config-history-light');
    await history.getByRole('article', { name: 'Version 1' }).getByRole('button', { name: 'Roll back to version 1' }).click();
    const rollback = page.getByRole('dialog', { name: /Roll back channel\/CPS plan .* to version 1\?/ });
    await rollback.waitFor();
    await checkAccessibility(page, 'roll-back confirmation over the history drawer');
    await rollback.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByText('Rolled back to version 1; it is now version 3').waitFor();
    await history.getByRole('article', { name: 'Version 3' }).getByText('Rolled back', { exact: true }).waitFor();
    await history.getByRole('button', { name: 'Close' }).first().click();
    await row.getByRole('cell', { name: '30', exact: true }).waitFor();
  });

  it('keeps a change as a draft and pushes it from the Drafts screen', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/config/channel-plans`);
    await page.getByRole('row', { name: new RegExp(planName) }).getByText(planName).click();
    const drawer = page.getByRole('dialog', { name: new RegExp(`Channel/CPS plan ${planName}`) });
    await drawer.getByRole('textbox', { name: 'CPS', exact: true }).fill('8');
    await drawer.getByRole('button', { name: 'Save…' }).click();
    const review = page.getByRole('dialog', { name: `Review channel/CPS plan ${planName}` });
    await review.getByRole('textbox', { name: 'Note for the draft' }).fill('More CPS for the launch');
    await review.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText('Draft saved').waitFor();

    await page.goto(`${baseUrl}/admin/config/drafts`);
    const draftRow = page.getByRole('row', { name: /More CPS for the launch/ });
    await draftRow.getByText(planName).waitFor();
    await shot(page, 'config-drafts-light');
    await draftRow.click();
    const modal = page.getByRole('dialog', { name: 'Draft: Channel/CPS plan' });
    await modal.getByRole('row', { name: /CPS 5 8/ }).waitFor();
    await checkAccessibility(page, 'draft dialog');
    await shot(page, 'config-draft-open-light');
    await modal.getByRole('button', { name: 'Push now' }).click();
    await page.getByText('Draft pushed').waitFor();
    await page.getByText('No open drafts').waitFor();
  });

  it('reorders codecs with the arrows', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/config/codecs`);
    await page.getByRole('button', { name: 'Move G.729 up' }).click();
    await page.getByText('Codec order saved').waitFor();
    const nameCells = page.getByRole('table', { name: 'Codecs' }).locator('tbody tr td:nth-child(3)');
    await page.waitForFunction(
      (expected) => [...document.querySelectorAll('table[aria-label="Codecs"] tbody tr td:nth-child(3)')].map((td) => td.textContent).join('|') === expected,
      'G.711 µ-law|G.729|G.711 A-law',
    );
    assert.deepEqual((await nameCells.allInnerTexts()).slice(0, 3), ['G.711 µ-law', 'G.729', 'G.711 A-law']);
  });

  it('fills a DID provider’s inventory and syncs it', async () => {
    const { page } = admin;
    await ok(page, 'POST', '/api/v1/config/did_provider', {
      fields: { code: `local-${run}`, name: `Local numbers ${run}`, countries: ['US', 'GB'] },
      assignments: [{ scope: { kind: 'all' } }],
    });
    await page.goto(`${baseUrl}/admin/config/did-providers`);
    await page.getByRole('row', { name: new RegExp(`Local numbers ${run}`) }).getByText(`Local numbers ${run}`).click();
    const drawer = page.getByRole('dialog', { name: new RegExp(`DID provider Local numbers ${run}`) });
    await drawer.getByRole('tab', { name: 'Inventory' }).click();
    await drawer.getByRole('combobox', { name: 'Country' }).first().click();
    await page.getByRole('option', { name: 'US' }).click();
    const unique = String(Date.now()).slice(-7);
    await drawer.getByRole('textbox', { name: 'Numbers', exact: true }).fill(`+1202${unique}\nnot a number`);
    await drawer.getByRole('button', { name: /^Add 2 numbers/ }).click();
    await drawer.getByText(/Line 2: “not a number” is not an E\.164 number/).waitFor();
    const next = String(Number(unique) + 1).padStart(7, '0');
    await drawer.getByRole('textbox', { name: 'Numbers', exact: true }).fill(`+1202${unique}\n+1 (202) ${next.slice(0, 3)}-${next.slice(3)}`);
    await drawer.getByRole('button', { name: /^Add 2 numbers/ }).click();
    await page.getByText('2 numbers added').waitFor();
    await drawer.getByRole('table', { name: 'Inventory' }).getByText(`+1202${unique}`).waitFor();

    await drawer.getByRole('button', { name: 'Sync now' }).click();
    await drawer.getByTestId('sync-result').waitFor({ timeout: 30_000 });
    await drawer.getByLabel('Last sync').getByText('Succeeded').waitFor();
    await checkAccessibility(page, 'DID provider drawer, inventory tab');
    await shot(page, 'config-did-inventory-light');
  });

  it('photographs every configuration screen in light and dark mode', async () => {
    const { page, pageErrors, foreignRequests } = admin;
    const screens = [
      ['categories', '/admin/categories', 'Categories & groups'],
      ['customers', '/admin/customers', 'Customers'],
      ['pops', '/admin/config/pops', 'POPs'],
      ['voice-tiers', '/admin/config/voice-tiers', 'Voice tiers'],
      ['codecs', '/admin/config/codecs', 'Codecs'],
      ['auth-methods', '/admin/config/auth-methods', 'Auth methods'],
      ['channel-plans', '/admin/config/channel-plans', 'Channel/CPS plans'],
      ['did-countries', '/admin/config/did-countries', 'DID countries'],
      ['did-providers', '/admin/config/did-providers', 'DID providers'],
      ['drafts', '/admin/config/drafts', 'Drafts'],
      ['audit-log', '/admin/system/audit-log', 'Audit log'],
      ['jobs', '/admin/system/jobs', 'Jobs'],
    ];
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, path, title] of screens) {
        await page.goto(`${baseUrl}${path}`);
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        await page.getByRole('table').or(page.getByText('Nothing here yet')).or(page.getByText(/^No open drafts$/)).first().waitFor();
        await page.screenshot({ path: screenshotPath(`config-${name}-${scheme}`), fullPage: true });
        if (scheme === 'light') await checkAccessibility(page, `admin ${name} with data`);
      }

      // The states behind buttons.
      await page.goto(`${baseUrl}/admin/config/pops`);
      await page.getByRole('row', { name: /Frankfurt/ }).getByText('Frankfurt').click();
      await page.getByRole('dialog', { name: /POP Frankfurt/ }).getByText('How scopes combine').waitFor();
      await shot(page, `config-pop-editor-${scheme}`);
      if (scheme === 'light') await checkAccessibility(page, 'POP drawer');

      await page.goto(`${baseUrl}/admin/customers`);
      await page.getByRole('button', { name: `Move ${customerA.company}` }).click();
      const move = page.getByRole('dialog', { name: `Move ${customerA.company}` });
      await move.getByRole('combobox', { name: 'Category' }).click();
      await page.getByRole('option', { name: 'Enterprise' }).click();
      await move.getByText('Gains').first().waitFor();
      await shot(page, `config-customer-move-${scheme}`);
      if (scheme === 'light') await checkAccessibility(page, 'move customer dialog');
      await move.getByRole('button', { name: 'Cancel' }).click();

      await page.goto(`${baseUrl}/admin/system/audit-log`);
      await page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr').first().click();
      await page.getByText(/^Entry /).first().waitFor();
      await shot(page, `config-audit-expanded-${scheme}`);
      if (scheme === 'light') await checkAccessibility(page, 'audit log with an entry open');
    }
    assert.deepEqual(pageErrors, [], 'no uncaught errors');
    assert.deepEqual(foreignRequests, [], 'nothing fetched from another origin');
  });
});
