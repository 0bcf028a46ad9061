// Least-cost routing journeys: with three carriers priced for one destination, the operator creates
// in the UI a customer rate card (carrier rates + 20 %, with a per-prefix override the server
// refuses once), a route group (70/30 primary, one backup), a route to it for everyone, a custom
// route that sends one customer through one carrier only, and an LCR profile with a minimum margin
// for that customer; the route lookup then shows the order, the sell rates, the margins and why
// carriers were left out. An uploaded rate card gets its rates through the upload wizard. Every new
// screen is photographed in light and dark mode. What the journey creates is deleted at the end, so
// the other journeys' lookups are not priced by its card.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { admin as ADMIN, baseUrl, launchBrowser, newVisitor, preview, screenshotBoth, screenshotPath, apiCall as call, apiOk as ok, settle } from './harness.mjs';

const run = Date.now().toString(36);
// A destination of this run only, so carriers of other runs or journeys do not compete for it.
const eg = `20${(Date.now() % 9000) + 1000}`;
const dialled = `${eg}7788`;
const carriers = {
  nile: { name: `Nile ${run}`, code: `nile-${run}`, rate: '0.10' },
  sphinx: { name: `Sphinx ${run}`, code: `sphinx-${run}`, rate: '0.12' },
  delta: { name: `Delta ${run}`, code: `delta-${run}`, rate: '0.08' },
};
const customer = { email: `xyz-${run}@example.test`, name: 'Xavier Young', company: `XYZ ${run}`, password: 'correct horse battery staple' };
const cardName = `Retail ${run}`;
const groupName = `Egypt premium ${run}`;
const routeName = `Egypt via group ${run}`;
const customRouteName = `XYZ Egypt via Delta ${run}`;
const profileName = `Strict margin ${run}`;
const uploadedName = `Wholesale list ${run}`;
const dir = mkdtempSync(join(tmpdir(), 'didtron-lcr-'));

/** Chooses `option` in the select labelled `name` inside `scope`. */
async function choose(page, scope, name, option) {
  await scope.getByRole('combobox', { name, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Pushes the change under review and waits for its toast. */
async function pushNow(page, review, toast) {
  await review.getByRole('button', { name: 'Push now' }).click();
  await page.getByText(toast).first().waitFor();
}

describe('least-cost routing', { skip: preview ? 'needs the didtron API' : false }, () => {
  let browser;
  let admin;
  const ids = {};

  before(async () => {
    browser = await launchBrowser();
    admin = await newVisitor(browser);
    const { page } = admin;
    await page.goto(`${baseUrl}/`);
    await ok(page, 'POST', '/api/v1/auth/login', ADMIN);
    for (const [key, c] of Object.entries(carriers)) {
      const carrier = await ok(page, 'POST', '/api/v1/config/carrier', {
        fields: { code: c.code, name: c.name, hosts: ['sip.example.net'] },
        assignments: [{ scope: { kind: 'all' } }],
      });
      ids[key] = carrier.id;
      await ok(page, 'POST', `/api/v1/carriers/${carrier.id}/rate-decks?filename=${c.code}.csv`, `prefix,destination,rate\n${eg},Egypt,${c.rate}\n`, true);
    }
    // Customer XYZ, registered as a visitor would.
    const categories = await ok(page, 'GET', '/api/v1/public/categories');
    const visitor = await newVisitor(browser);
    await visitor.page.goto(`${baseUrl}/`);
    await ok(visitor.page, 'POST', '/api/v1/auth/register', { ...customer, category_id: categories[0].id });
    await visitor.context.close();
    const found = await ok(page, 'GET', `/api/v1/customers?q=${encodeURIComponent(customer.company)}`);
    ids.xyz = found.items.find((c) => c.name === customer.company).id;
  });

  after(async () => {
    const page = admin?.page;
    // Everything named after this run, routes first (they hold the group); a carrier that cannot
    // go (its decks are history) is disabled instead.
    if (page) {
      for (const kind of ['route', 'lcr_profile', 'rate_card', 'route_group', 'carrier']) {
        const list = await call(page, 'GET', `/api/v1/config/${kind}?q=${encodeURIComponent(run)}&limit=50`);
        for (const record of list.body?.items ?? []) {
          const r = await call(page, 'DELETE', `/api/v1/config/${kind}/${record.id}`);
          if (r.status >= 300 && kind === 'carrier') {
            await call(page, 'PATCH', `/api/v1/config/carrier/${record.id}`, { fields: { status: 'disabled' }, expected_version: record.version });
          }
        }
      }
    }
    await admin?.context.close();
    await browser?.close();
  });

  it('creates a derived rate card with a 20 % margin and a per-prefix override', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/routing/rate-cards?tab=customer`);
    await page.getByRole('heading', { level: 1, name: 'Rate cards' }).waitFor();
    await page.getByRole('tab', { name: 'Customer rate cards', selected: true }).waitFor();
    await page.getByRole('button', { name: 'New rate card' }).first().click();
    const drawer = page.getByRole('dialog', { name: 'New rate card' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(cardName);
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(`retail-${run}`);
    await drawer.getByRole('textbox', { name: 'Margin', exact: true }).fill('20');

    // Two overrides for the same prefix, one written with a +: the client lets it through, the
    // server says which row is the duplicate and the form shows it under that row's prefix.
    await drawer.getByRole('button', { name: 'Add override' }).click();
    await drawer.getByRole('button', { name: 'Add override' }).click();
    await drawer.getByRole('textbox', { name: 'Prefix (override 1)' }).fill(`${eg}9`);
    await choose(page, drawer, 'Type (override 1)', 'Per minute');
    await drawer.getByRole('textbox', { name: 'Margin (override 1)' }).fill('0.05');
    await drawer.getByRole('textbox', { name: 'Prefix (override 2)' }).fill(`+${eg}9`);
    await drawer.getByRole('textbox', { name: 'Margin (override 2)' }).fill('1001');
    await drawer.getByRole('button', { name: 'Create rate card…' }).click();
    // The client's own rule first: a percent margin is at most 1000 %.
    await drawer.getByText('Must be between -100 % and 1000 %').waitFor();
    await drawer.getByRole('textbox', { name: 'Margin (override 2)' }).fill('15');
    await drawer.getByRole('button', { name: 'Create rate card…' }).click();
    await drawer.getByText(`${eg}9 is listed twice`).waitFor();
    await settle(page);
    await screenshotBoth(page, 'lcr-rate-card-editor');
    await drawer.getByRole('button', { name: 'Remove override 2' }).click();

    await drawer.getByRole('button', { name: 'Create rate card…' }).click();
    const review = page.getByRole('dialog', { name: `Review rate card ${cardName}` });
    await review.getByText('20 %').first().waitFor();
    await pushNow(page, review, 'Rate card created');
    const row = page.getByRole('row', { name: new RegExp(cardName) });
    await row.getByText('20 %').waitFor();
    await row.getByText('1 override').waitFor();
    await row.getByText('All customers').waitFor();
    const list = await ok(page, 'GET', `/api/v1/config/rate_card?q=${encodeURIComponent(cardName)}`);
    const card = list.items.find((c) => c.name === cardName);
    assert.equal(card.margin, 20_000_000, 'the API takes 20 % as millionths of a percent');
    assert.deepEqual(card.overrides, [{ prefix: `${eg}9`, margin_type: 'fixed', margin: 50_000 }]);
    await settle(page);
    await screenshotBoth(page, 'lcr-rate-cards', { fullPage: true });
  });

  it('creates a route group: shares that do not add up are refused, the list reads like a sentence', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/routing/route-groups`);
    await page.getByRole('heading', { level: 1, name: 'Route groups' }).waitFor();
    await settle(page);
    await screenshotBoth(page, 'lcr-route-groups-empty');
    await page.getByRole('button', { name: 'New route group' }).first().click();
    const drawer = page.getByRole('dialog', { name: 'New route group' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(groupName);
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(`eg-${run}`);
    await choose(page, drawer, 'Carrier (carrier 1)', carriers.nile.name);
    await drawer.getByRole('textbox', { name: 'Share (carrier 1)' }).fill('70');
    await drawer.getByRole('button', { name: 'Add carrier' }).click();
    await choose(page, drawer, 'Carrier (carrier 2)', carriers.sphinx.name);
    await drawer.getByRole('textbox', { name: 'Share (carrier 2)' }).fill('20');
    await drawer.getByRole('button', { name: 'Add carrier' }).click();
    await choose(page, drawer, 'Carrier (carrier 3)', carriers.delta.name);
    await choose(page, drawer, 'Order (carrier 3)', 'Backup 1');
    await drawer.getByRole('button', { name: 'Create route group…' }).click();
    await drawer.getByText('The shares of the primary carriers add up to 90 %, not 100 %').waitFor();
    await drawer.getByRole('textbox', { name: 'Share (carrier 2)' }).fill('30');
    await settle(page);
    await screenshotBoth(page, 'lcr-route-group-editor');
    await drawer.getByRole('button', { name: 'Create route group…' }).click();
    await pushNow(page, page.getByRole('dialog', { name: `Review route group ${groupName}` }), 'Route group created');
    const row = page.getByRole('row', { name: new RegExp(groupName) });
    await row.getByText(`${carriers.nile.name} 70 % · ${carriers.sphinx.name} 30 % → backup ${carriers.delta.name}`).waitFor();
    const list = await ok(page, 'GET', `/api/v1/config/route_group?q=${encodeURIComponent(groupName)}`);
    ids.group = list.items.find((g) => g.name === groupName).id;
    await settle(page);
    await screenshotBoth(page, 'lcr-route-groups');
  });

  it('routes the destination to the group for everyone, and through Delta only for customer XYZ', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/routing/routes`);
    await page.getByRole('heading', { level: 1, name: 'Routes' }).waitFor();
    await page.getByRole('button', { name: 'New route' }).first().click();
    let drawer = page.getByRole('dialog', { name: 'New route' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(routeName);
    await drawer.getByRole('textbox', { name: 'Prefix', exact: true }).fill(eg);
    // Neither a carrier nor a group: refused before asking the server.
    await drawer.getByRole('button', { name: 'Create route…' }).click();
    await drawer.getByText('Choose a carrier or a route group').waitFor();
    await choose(page, drawer, 'Route group', groupName);
    await drawer.getByRole('button', { name: 'Create route…' }).click();
    await pushNow(page, page.getByRole('dialog', { name: `Review route ${routeName}` }), 'Route created');
    const groupRow = page.getByRole('row', { name: new RegExp(routeName) });
    await groupRow.getByText(groupName).waitFor();
    await groupRow.getByText('Every tier').waitFor();

    // The custom route: prefix to one carrier, no failover, private to XYZ.
    await page.getByRole('button', { name: 'New route' }).first().click();
    drawer = page.getByRole('dialog', { name: 'New route' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(customRouteName);
    await drawer.getByRole('textbox', { name: 'Prefix', exact: true }).fill(eg);
    await choose(page, drawer, 'Carrier', carriers.delta.name);
    await drawer.getByRole('switch', { name: 'Fail over to other carriers' }).uncheck({ force: true });
    await drawer.getByText('Private to one customer', { exact: true }).click();
    await drawer.getByRole('combobox', { name: 'Private to' }).fill(customer.company);
    await page.getByRole('option', { name: customer.company }).click();
    await drawer.getByTestId('assignment-summary').getByText(`Only customer ${customer.company} (private)`).waitFor();
    await settle(page);
    await screenshotBoth(page, 'lcr-route-editor');
    await drawer.getByRole('button', { name: 'Create route…' }).click();
    await pushNow(page, page.getByRole('dialog', { name: `Review route ${customRouteName}` }), 'Route created');
    const customRow = page.getByRole('row', { name: new RegExp(customRouteName) });
    await customRow.getByText(carriers.delta.name, { exact: true }).waitFor();
    await customRow.getByText('Off', { exact: true }).waitFor();
    await customRow.getByText(`Only customer ${customer.company} (private)`).waitFor();
    const list = await ok(page, 'GET', `/api/v1/config/route?q=${encodeURIComponent(run)}`);
    assert.equal(list.items.length, 2);
    assert.equal(list.items.find((r) => r.name === customRouteName).failover, false);
    await settle(page);
    await screenshotBoth(page, 'lcr-routes', { fullPage: true });
  });

  it('creates an LCR profile with a minimum margin for customer XYZ', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/routing/lcr-profiles`);
    await page.getByRole('heading', { level: 1, name: 'LCR profiles' }).waitFor();
    await page.getByRole('button', { name: 'New LCR profile' }).first().click();
    const drawer = page.getByRole('dialog', { name: 'New LCR profile' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(profileName);
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(`strict-${run}`);
    // The quality weight only matters to the quality strategy, so it shows only for it.
    assert.equal(await drawer.getByRole('textbox', { name: 'Quality weight' }).count(), 0);
    await choose(page, drawer, 'Strategy', 'Quality-weighted cost');
    await drawer.getByRole('textbox', { name: 'Quality weight' }).waitFor();
    await choose(page, drawer, 'Strategy', 'Cheapest first');
    await drawer.getByRole('textbox', { name: 'Minimum margin', exact: true }).fill('0.02');
    await drawer.getByRole('switch', { name: 'Keep carriers below the minimum' }).check({ force: true });
    await drawer.getByText('Private to one customer', { exact: true }).click();
    await drawer.getByRole('combobox', { name: 'Private to' }).fill(customer.company);
    await page.getByRole('option', { name: customer.company }).click();
    await settle(page);
    await screenshotBoth(page, 'lcr-profile-editor');
    await drawer.getByRole('button', { name: 'Create LCR profile…' }).click();
    await pushNow(page, page.getByRole('dialog', { name: `Review LCR profile ${profileName}` }), 'LCR profile created');
    const row = page.getByRole('row', { name: new RegExp(profileName) });
    await row.getByText('0.0200/min').waitFor();
    await row.getByText('Kept, marked').waitFor();
    const list = await ok(page, 'GET', `/api/v1/config/lcr_profile?q=${encodeURIComponent(profileName)}`);
    const profile = list.items.find((p) => p.name === profileName);
    ids.profile = profile.id;
    assert.equal(profile.min_margin, 20_000, 'micro-units per minute');
    await settle(page);
    await screenshotBoth(page, 'lcr-profiles');
  });

  it('looks the number up: the group’s order and sell rates for everyone, the custom route for XYZ', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/routing/lookup`);
    await page.getByRole('heading', { level: 1, name: 'Route lookup' }).waitFor();
    await page.getByRole('textbox', { name: 'Number' }).fill(`+${dialled}`);
    await page.getByRole('button', { name: 'Look up' }).click();
    const table = page.getByRole('table', { name: 'Route candidates' });
    const rows = table.locator('tbody tr');
    await rows.nth(2).waitFor();
    // Primary 70 %, primary 30 %, then the backup; each sold at buy + 20 %.
    assert.match(await rows.nth(0).innerText(), new RegExp(`1\\s+${carriers.nile.name}\\s+${eg}\\s+Egypt\\s+0\\.1000\\s+0\\.1200\\s+0\\.0200\\s+Primary\\s+70 %`));
    assert.match(await rows.nth(1).innerText(), new RegExp(`2\\s+${carriers.sphinx.name}\\s+${eg}\\s+Egypt\\s+0\\.1200\\s+0\\.1440\\s+0\\.0240\\s+Primary\\s+30 %`));
    assert.match(await rows.nth(2).innerText(), new RegExp(`3\\s+${carriers.delta.name}\\s+${eg}\\s+Egypt\\s+0\\.0800\\s+0\\.0960\\s+0\\.0160\\s+Backup 1`));
    await page.getByTestId('decided-route').getByText(routeName).waitFor();
    await page.getByTestId('decided-rate-card').getByText(cardName).waitFor();
    await page.getByTestId('decided-lcr-profile').getByText('None: cheapest first, never at a loss').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Excluded carriers' }).count(), 0);
    await settle(page);
    await screenshotBoth(page, 'lcr-lookup-group', { fullPage: true });

    // Customer XYZ: only Delta, kept although under the profile's 0.02 minimum, marked in red.
    await page.getByRole('combobox', { name: 'Customer' }).fill(customer.company);
    await page.getByRole('option', { name: customer.company }).click();
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByTestId('decided-route').getByText(customRouteName).waitFor();
    await rows.nth(0).getByText(carriers.delta.name).waitFor();
    assert.equal(await rows.count(), 1);
    assert.match(await rows.nth(0).innerText(), /0\.0800\s+0\.0960\s+Below minimum\s+0\.0160\s+Primary/i);
    await page.getByTestId('decided-lcr-profile').getByText(profileName).waitFor();
    const excluded = page.getByRole('region', { name: 'Excluded carriers' });
    await excluded.getByRole('heading', { name: /^Excluded \(\d+\)$/ }).waitFor();
    for (const c of [carriers.nile, carriers.sphinx]) {
      await excluded.getByRole('row', { name: new RegExp(`${c.name}\\s+The matching route has no failover to other carriers`) }).waitFor();
    }
    await settle(page);
    await screenshotBoth(page, 'lcr-lookup-custom-route', { fullPage: true });

    // Without "keep below the minimum", Delta is left out too: no route, and the list says why.
    const current = await ok(page, 'GET', `/api/v1/config/lcr_profile/${ids.profile}`);
    await ok(page, 'PATCH', `/api/v1/config/lcr_profile/${ids.profile}`, { fields: { allow_below_margin: false }, expected_version: current.version });
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('No route', { exact: true }).waitFor();
    await excluded.getByRole('row', { name: new RegExp(`${carriers.delta.name}\\s+A \\d+ s call costs [-\\d.]+ and sells for [-\\d.]+: its margin [-\\d.]+ is below the profile's minimum`) }).waitFor();
    await settle(page);
    await screenshotBoth(page, 'lcr-lookup-no-route', { fullPage: true });

    // On a phone the form stacks and the table scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await settle(page);
    await page.screenshot({ path: screenshotPath('lcr-lookup-phone'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('uploads the rates of an uploaded customer card through the wizard', async () => {
    const { page } = admin;
    const card = await ok(page, 'POST', '/api/v1/config/rate_card', { fields: { code: `list-${run}`, name: uploadedName, source: 'uploaded' }, assignments: [] });
    const file = join(dir, 'sell.csv');
    writeFileSync(file, `Code,Destination,Price\n${eg},Egypt,0.15\n44,United Kingdom,0.03\n`);

    await page.goto(`${baseUrl}/admin/routing/rate-cards?tab=customer`);
    await page.getByRole('row', { name: new RegExp(uploadedName) }).getByText('Uploaded rates').click();
    const drawer = page.getByRole('dialog', { name: new RegExp(`Rate card ${uploadedName}`) });
    // Only the fields that matter to an uploaded card.
    assert.equal(await drawer.getByRole('textbox', { name: 'Margin', exact: true }).count(), 0);
    await drawer.getByRole('tab', { name: 'Rates' }).click();
    await drawer.getByText('No rates yet').waitFor();
    await drawer.locator('input[type=file]').setInputFiles(file);
    await drawer.getByTestId('deck-check').getByText('Checked: 2 rates, no errors').waitFor();
    await drawer.getByRole('button', { name: 'Import', exact: true }).click();
    await drawer.getByTestId('deck-result').getByText(/Imported 2 rates/).waitFor();
    const rates = drawer.getByRole('table', { name: 'Rates' });
    await rates.getByRole('row', { name: /44\s+United Kingdom\s+0\.0300/ }).waitFor();
    await settle(page);
    await screenshotBoth(page, 'lcr-uploaded-card-rates');
    const stored = await ok(page, 'GET', `/api/v1/rate-cards/${card.id}/rates`);
    assert.equal(stored.total, 2);
  });

  it('leaves no page errors and fetches nothing from elsewhere', () => {
    assert.deepEqual(admin.pageErrors, []);
    assert.deepEqual(admin.foreignRequests, []);
  });
});
