// Shared set-up for the browser journeys: the system Chromium (no browser
// download), the server under test, and checks every page must pass.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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
