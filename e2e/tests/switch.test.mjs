// Switch sync journey (local driver, the default): a carrier created through the API is pushed to
// the switch; the sync dashboard shows the push synced with its POST calls and their JSON, the
// connection test answers, a reconciliation finds no drift, and the calls log and webhooks tabs
// render. Photographed in light and dark mode and on a phone.
//
// The screen lives at /admin/system/switch (Admin → System → Switch sync).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin as ADMIN, baseUrl, launchBrowser, newVisitor, preview, screenshotBoth, screenshotPath, apiCall as call, apiOk as ok, eventually, settle } from './harness.mjs';

const PAGE = '/admin/system/switch';
const run = Date.now().toString(36);
const carrier = { name: `Switchback Voice ${run}`, code: `switchback-${run}`, hosts: ['sip.switchback.example', '198.51.100.20:5080'] };

describe('switch sync', { skip: preview ? 'needs the didtron API' : false }, () => {
  let browser;
  let admin;
  let carrierId;

  before(async () => {
    browser = await launchBrowser();
    admin = await newVisitor(browser);
    await admin.page.goto(`${baseUrl}/`);
    await ok(admin.page, 'POST', '/api/v1/auth/login', ADMIN);
    await admin.page.goto(`${baseUrl}${PAGE}`);
    const heading = admin.page.getByRole('heading', { level: 1 });
    await heading.first().waitFor();
    assert.equal((await heading.first().innerText()).trim(), 'Switch sync');
  });

  after(async () => {
    await admin?.context.close();
    await browser?.close();
  });

  it('pushes a new carrier and shows the push synced with its POST calls', async (t) => {
    const { page } = admin;
    const created = await ok(page, 'POST', '/api/v1/config/carrier', {
      fields: { code: carrier.code, name: carrier.name, hosts: carrier.hosts },
      assignments: [{ scope: { kind: 'all' } }],
    });
    carrierId = created.id;
    assert.ok(carrierId, `carrier id in ${JSON.stringify(created)}`);

    // The push runs on the job queue; the record's sync status turns synced.
    const status = await eventually('the carrier to reach the switch', async () => {
      const rows = await ok(page, 'GET', `/api/v1/switch/status?kind=carrier&ids=${carrierId}`);
      const row = rows.find((r) => r.record_id === carrierId);
      assert.notEqual(row?.status, 'failed', `push failed: ${row?.last_error}`);
      return row?.status === 'synced' ? row : null;
    });
    assert.equal(status.synced_version, 1);

    await page.goto(`${baseUrl}${PAGE}`);
    await page.getByRole('heading', { level: 1, name: 'Switch sync' }).waitFor();
    await page.getByTestId('switch-engine').getByText('Local switch').waitFor();
    const pushes = page.getByRole('table', { name: 'Pushes' });
    const row = pushes.getByRole('row', { name: new RegExp(carrier.name) }).first();
    await row.locator('[data-sync-status="synced"]').waitFor();
    await row.getByText('3 calls').waitFor();

    // Opened: the planned calls and the calls made, oldest first — the carrier, then its two IPs.
    await row.getByText(carrier.name).click();
    const detail = page.getByTestId('push-detail');
    await detail.getByText('Planned calls').waitFor();
    assert.equal(await detail.getByTestId('planned-call').count(), 3);
    const made = detail.getByTestId('switch-call');
    await made.nth(2).waitFor();
    const lines = await made.allInnerTexts();
    assert.match(lines[0], /POST\s+carrier\s/);
    assert.match(lines[1], /POST\s+carrier\/\S+\/ip/);
    assert.match(lines[2], /POST\s+carrier\/\S+\/ip/);
    for (const line of lines) assert.match(line, /\b201\b/);

    // The request JSON is behind a toggle, readable as sent.
    await made.first().getByRole('button', { name: /Request/ }).click();
    await made.first().locator('pre').filter({ hasText: `"name": "${carrier.name}"` }).waitFor();
    await settle(page, { top: true });
    await screenshotBoth(page, 'switch-queue', { fullPage: true });
  });

  it('tests the connection to the switch', async (t) => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('connection-result');
    await result.getByText(/^Connected as DIDtron local switch/).waitFor();
    // The test's own call is logged like every other.
    await page.getByRole('tab', { name: 'Calls' }).click();
    const calls = page.getByRole('table', { name: 'Calls to the switch' });
    await calls.getByRole('row', { name: /Test\s+GET setup\/account/ }).first().waitFor();
    await settle(page, { top: true });
    await screenshotBoth(page, 'switch-calls', { fullPage: true });
  });

  it('runs a reconciliation and finds no drift', async (t) => {
    const { page } = admin;
    // Nothing may be on its way to the switch, or the report would list it as not pushed yet.
    await eventually('the push queue to empty', async () => {
      const o = await ok(page, 'GET', '/api/v1/switch');
      return o.pushes.pending + o.pushes.running === 0;
    });
    await page.getByRole('tab', { name: /Reconciliation/ }).click();
    const before = await ok(page, 'GET', '/api/v1/switch/reconciliations?limit=1');
    await page.getByRole('button', { name: 'Run now' }).click();
    const report = page.getByTestId('reconciliation-report');
    await eventually('a new reconciliation report', async () => {
      const now = await ok(page, 'GET', '/api/v1/switch/reconciliations?limit=1');
      const newest = now.items[0];
      return newest && newest.id !== before.items[0]?.id && newest.status !== 'running' ? newest : null;
    });
    await report.getByText('Latest report').waitFor();
    await report.getByText('No drift').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Run now' }).waitFor();
    await settle(page, { top: true });
    await screenshotBoth(page, 'switch-reconciliation', { fullPage: true });
  });

  it('shows the switch calls in a change review and the sync status in the carrier list', async () => {
    const { page } = admin;
    const name = `Review ${carrier.name}`;
    await page.goto(`${baseUrl}/admin/routing/carriers`);
    await page.getByRole('heading', { level: 1, name: 'Carriers' }).waitFor();
    // The carrier pushed in the first step shows as synced.
    await page.getByRole('row', { name: new RegExp(carrier.name) }).locator('[data-sync-status="synced"]').waitFor();
    await page.getByRole('button', { name: 'New carrier' }).first().click();
    const drawer = page.getByRole('dialog', { name: 'New carrier' });
    await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await drawer.getByRole('textbox', { name: 'Code', exact: true }).fill(`${carrier.code}-r`);
    const hosts = drawer.getByRole('combobox', { name: 'SIP hosts' }).or(drawer.getByRole('textbox', { name: 'SIP hosts' })).first();
    await hosts.fill('10.1.2.3');
    await hosts.press('Enter');
    await drawer.getByRole('button', { name: 'Create carrier…' }).click();
    const review = page.getByRole('dialog', { name: `Review carrier ${name}` });
    await review.getByText('On the switch: 2 calls, in this order').waitFor();
    const calls = review.getByLabel('Switch calls');
    await calls.getByText('carrier', { exact: true }).waitFor();
    await calls.getByText('carrier/<new carrier>/ip').waitFor();
    await settle(page, { top: true });
    await screenshotBoth(page, 'switch-review-calls');
    await review.getByRole('button', { name: 'Push now' }).click();
    await page.getByText('Carrier created').waitFor();
    await page.getByRole('row', { name: new RegExp(name) }).locator('[data-sync-status="synced"]').waitFor({ timeout: 30_000 });
    await page.goto(`${baseUrl}${PAGE}`);
    await page.getByRole('heading', { level: 1, name: 'Switch sync' }).waitFor();
  });

  it('shows the webhooks tab and fits a phone', async (t) => {
    const { page, pageErrors, foreignRequests } = admin;
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    const overview = await ok(page, 'GET', '/api/v1/switch');
    if (overview.webhooks_enabled) await page.getByRole('table', { name: 'Webhooks' }).or(page.getByText('No webhooks yet')).first().waitFor();
    else await page.getByText('Webhooks from the switch are off').waitFor();
    await settle(page, { top: true });
    await screenshotBoth(page, 'switch-webhooks');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}${PAGE}`);
    const row = page.getByRole('table', { name: 'Pushes' }).getByRole('row', { name: new RegExp(carrier.name) }).first();
    await row.getByText(carrier.name).click();
    await page.getByTestId('push-detail').getByText('Calls made').waitFor();
    await settle(page, { top: true });
    await page.screenshot({ path: screenshotPath('switch-queue-phone'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    assert.deepEqual(pageErrors, []);
    assert.deepEqual(foreignRequests, []);
  });
});
