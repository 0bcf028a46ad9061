// Routing journeys: the super admin creates a carrier in the UI, sees a bad rate deck rejected with
// its line numbers (in the import wizard's check and in the deck history), maps a column by hand,
// imports a good deck, and the route lookup lists the carriers cheapest first. Every routing screen
// is photographed in light and dark mode.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { admin as ADMIN, baseUrl, launchBrowser, newVisitor, preview, screenshotBoth, screenshotPath, apiCall as call, apiOk as ok, settle } from './harness.mjs';

const run = Date.now().toString(36);
const carrierA = { name: `Acme Voice ${run}`, code: `acme-${run}` };
const carrierB = { name: `Bravo Telecom ${run}`, code: `bravo-${run}` };
const dir = mkdtempSync(join(tmpdir(), 'didtron-decks-'));

function file(name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// "Cost per min" is not a recognised header: the wizard asks for the rate column by hand.
const badDeck = file('acme-bad.csv', 'Dial Code,Country,Column C,Billing,Effective Date\n44,United Kingdom,0.02,60/60,2026-01-01\n4x7,UK Mobile,0.015,1/1,2026-01-01\n447,UK Mobile,cheap,1/1,2026-01-01\n');
const goodDeck = file('acme.csv', 'Dial Code,Country,Column C,Billing,Effective Date\n44,United Kingdom,0.02,60/60,2026-01-01\n447,UK Mobile,0.015,1/1,2026-01-01\n');
const nextDeck = file('acme-v2.csv', 'prefix,destination,rate\n44,United Kingdom,0.019\n447,UK Mobile,0.015\n4420,London,0.018\n');

describe('routing', { skip: preview ? 'needs the didtron API' : false }, () => {
  let browser;
  let admin;
  let carrierAId;

  before(async () => {
    browser = await launchBrowser();
    admin = await newVisitor(browser);
    await admin.page.goto(`${baseUrl}/`);
    await ok(admin.page, 'POST', '/api/v1/auth/login', ADMIN);
  });

  after(async () => {
    await admin?.context.close();
    await browser?.close();
  });

  it('creates a carrier in the UI', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/routing/carriers`);
    await page.getByRole('heading', { level: 1, name: 'Carriers' }).waitFor();
    await page.getByRole('button', { name: 'New carrier' }).first().click();
    const drawer = page.getByRole('dialog', { name: 'New carrier' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(carrierA.name);
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(carrierA.code);
    const hosts = drawer.getByRole('combobox', { name: 'SIP hosts' }).or(drawer.getByRole('textbox', { name: 'SIP hosts' })).first();
    await hosts.fill('sip.acme.example');
    await hosts.press('Enter');
    await drawer.getByRole('textbox', { name: 'Channels', exact: true }).fill('300');
    await drawer.getByRole('textbox', { name: 'CPS', exact: true }).fill('20');
    await drawer.getByRole('button', { name: 'Create carrier…' }).click();
    await page.getByRole('dialog', { name: `Review carrier ${carrierA.name}` }).getByRole('button', { name: 'Push now' }).click();
    await page.getByText('Carrier created').waitFor();
    const row = page.getByRole('row', { name: new RegExp(carrierA.name) });
    await row.getByText('sip.acme.example').waitFor();
    await row.getByText('300 / 20').waitFor();
    const list = await ok(page, 'GET', `/api/v1/config/carrier?q=${encodeURIComponent(carrierA.code)}`);
    carrierAId = list.items.find((c) => c.code === carrierA.code).id;
  });

  it('rejects a bad deck with its line numbers, then imports a good one through the wizard', async () => {
    const { page } = admin;
    // A rejected import leaves a deck in the history with its report.
    const bad = await call(page, 'POST', `/api/v1/carriers/${carrierAId}/rate-decks?filename=acme-old.csv`, 'prefix,rate\n44,x\n4y,0.1\n', true);
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.status, 'rejected');

    await page.goto(`${baseUrl}/admin/routing/carriers`);
    await page.getByRole('row', { name: new RegExp(carrierA.name) }).getByText(carrierA.name).click();
    const drawer = page.getByRole('dialog', { name: new RegExp(`Carrier ${carrierA.name}`) });
    await drawer.getByRole('tab', { name: 'Rate decks' }).click();
    const history = drawer.getByRole('table', { name: 'Deck history' });
    await history.getByText('Rejected').click();
    await history.getByTestId('deck-errors').getByText(/row has a problem|rows have problems/).waitFor();

    // The wizard: the rate column is not recognised, so it is mapped by hand.
    await drawer.locator('input[type=file]').setInputFiles(badDeck);
    // The server's check names the file's headers and the columns it could not match.
    const errors = drawer.getByRole('region', { name: 'Import a rate deck' }).getByTestId('deck-errors');
    await errors.getByText(/choose the columns by hand/i).waitFor();
    await drawer.getByRole('combobox', { name: 'Prefix' }).waitFor();
    await drawer.getByRole('combobox', { name: 'Rate per minute' }).click();
    await page.getByRole('option', { name: 'Column C' }).click();
    await drawer.getByRole('button', { name: 'Check again' }).click();
    await errors.getByText('This file would be rejected').waitFor();
    await errors.getByRole('row', { name: /^3 prefix/ }).waitFor();
    await errors.getByRole('row', { name: /^4 rate/ }).waitFor();
    assert.ok(await drawer.getByRole('button', { name: 'Import', exact: true }).isDisabled(), 'Import is disabled while the check rejects the file');
    await settle(page);
    await screenshotBoth(page, 'routing-deck-rejected');

    await drawer.locator('input[type=file]').setInputFiles(goodDeck);
    await drawer.getByRole('combobox', { name: 'Rate per minute' }).click();
    await page.getByRole('option', { name: 'Column C' }).click();
    await drawer.getByRole('button', { name: 'Check again' }).click();
    await drawer.getByTestId('deck-check').getByText('Checked: 2 rates, no errors').waitFor();
    await drawer.getByRole('button', { name: 'Import', exact: true }).click();
    await drawer.getByTestId('deck-result').getByText(/Imported 2 rates/).waitFor();
    await history.getByText('In force').waitFor();
    const rates = drawer.getByRole('table', { name: 'Rates' });
    await rates.getByRole('row', { name: /447 UK Mobile 0\.0150/ }).waitFor();
    await drawer.getByRole('textbox', { name: 'Search rates' }).fill('mobile');
    await rates.getByRole('row', { name: /447/ }).waitFor();
    await settle(page);
    await screenshotBoth(page, 'routing-deck-imported');
  });

  it('looks a number up: each carrier’s longest prefix, cheapest first', async () => {
    const { page } = admin;
    const b = await ok(page, 'POST', '/api/v1/config/carrier', {
      fields: { code: carrierB.code, name: carrierB.name, hosts: ['203.0.113.7'] },
      assignments: [{ scope: { kind: 'all' } }],
    });
    const bId = b.id ?? b.record?.id;
    assert.ok(bId, `carrier B id in ${JSON.stringify(b)}`);
    await ok(page, 'POST', `/api/v1/carriers/${bId}/rate-decks?filename=bravo.csv`, 'prefix,destination,rate,initial_increment,effective_from\n44,United Kingdom,0.01,30/6,2026-01-01\n', true);

    await page.goto(`${baseUrl}/admin/routing/lookup`);
    await page.getByRole('heading', { level: 1, name: 'Route lookup' }).waitFor();
    await page.getByText('Look up a number', { exact: true }).waitFor();
    await settle(page);
    await screenshotBoth(page, 'routing-lookup-empty');

    await page.getByRole('textbox', { name: 'Number' }).fill('12ab');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('Enter the dialled number').waitFor();

    await page.getByRole('textbox', { name: 'Number' }).fill('+44 7700 900123');
    await page.getByRole('button', { name: 'Look up' }).click();
    const table = page.getByRole('table', { name: 'Route candidates' });
    const rows = table.locator('tbody tr');
    await rows.nth(1).waitFor();
    // Buy rate, then sell rate and margin (none without a rate card for everyone), route, increments.
    assert.match(await rows.nth(0).innerText(), new RegExp(`1\\s+${carrierB.name}\\s+44\\s+United Kingdom\\s+0\\.0100\\s[^]*\\b30/6`));
    assert.match(await rows.nth(1).innerText(), new RegExp(`2\\s+${carrierA.name}\\s+447\\s+UK Mobile\\s+0\\.0150\\s[^]*\\b1/1`));
    await settle(page);
    await screenshotBoth(page, 'routing-lookup');

    await page.getByRole('textbox', { name: 'Number' }).fill('999');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('No route', { exact: true }).waitFor();
  });

  it('imports a deck in the background and follows it until it is in force', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/admin/routing/rate-cards`);
    await page.getByRole('combobox', { name: 'Carrier' }).click();
    await page.getByRole('option', { name: new RegExp(carrierA.name) }).click();
    const wizard = page.getByRole('region', { name: 'Import a rate deck' });
    await wizard.locator('input[type=file]').setInputFiles(nextDeck);
    await wizard.getByTestId('deck-check').getByText('Checked: 3 rates, no errors').waitFor();
    await wizard.getByRole('checkbox', { name: 'Import in the background' }).check();
    await wizard.getByRole('button', { name: 'Import', exact: true }).click();
    // The job worker picks it up within a second or so: the wizard shows its phase until then.
    await wizard.getByTestId('deck-progress').or(wizard.getByTestId('deck-result')).first().waitFor();
    await page.screenshot({ path: screenshotPath('routing-deck-background-light'), fullPage: true });
    await wizard.getByTestId('deck-result').getByText('Imported 3 rates in the background; they are now in force.').waitFor({ timeout: 30_000 });
    const history = page.getByRole('table', { name: 'Deck history' });
    await history.getByRole('row', { name: /acme-v2\.csv\s+In force\s+3\b/i }).waitFor();
    await history.getByRole('row', { name: /acme\.csv\s+Superseded/i }).waitFor();
    await page.getByRole('table', { name: 'Rates' }).getByRole('row', { name: /4420\s+London\s+0\.0180/ }).waitFor();
    await settle(page);
    await screenshotBoth(page, 'routing-deck-background-done', { fullPage: true });
  });

  it('photographs the routing screens in light and dark mode', async () => {
    const { page, pageErrors, foreignRequests } = admin;
    await page.goto(`${baseUrl}/admin/routing/carriers`);
    await page.getByRole('row', { name: new RegExp(carrierA.name) }).waitFor();
    await settle(page);
    await screenshotBoth(page, 'routing-carriers', { fullPage: true });

    await page.goto(`${baseUrl}/admin/routing/rate-cards`);
    await page.getByRole('heading', { level: 1, name: 'Rate cards' }).waitFor();
    await page.getByRole('combobox', { name: 'Carrier' }).click();
    await page.getByRole('option', { name: new RegExp(carrierA.name) }).click();
    await page.getByRole('table', { name: 'Rates' }).getByText('UK Mobile').waitFor();
    await settle(page);
    await screenshotBoth(page, 'routing-rate-cards', { fullPage: true });

    // On a phone the wizard and the tables still fit (tables scroll sideways).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/admin/routing/lookup`);
    await page.getByRole('textbox', { name: 'Number' }).fill('447700900123');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('table', { name: 'Route candidates' }).getByText(carrierA.name).waitFor();
    await settle(page);
    await page.screenshot({ path: screenshotPath('routing-lookup-phone'), fullPage: true });
    await page.goto(`${baseUrl}/admin/routing/rate-cards`);
    await page.getByRole('combobox', { name: 'Carrier' }).click();
    await page.getByRole('option', { name: new RegExp(carrierA.name) }).click();
    await page.getByRole('table', { name: 'Rates' }).getByText('UK Mobile').waitFor();
    await settle(page);
    await page.screenshot({ path: screenshotPath('routing-rate-cards-phone'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    assert.deepEqual(pageErrors, []);
    assert.deepEqual(foreignRequests, []);
  });
});
