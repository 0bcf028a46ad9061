#!/usr/bin/env node
// The weight of a first visit, measured on the built app (`vite build` writes dist/ and
// dist/.vite/manifest.json): for each page below, every JS and CSS file the browser needs before
// it can show that page — the entry from dist/index.html with its static imports and style
// sheets, plus the lazily loaded route chunks the page opens with and their static imports —
// gzip-compressed as the server sends it. Fails when a page is over its budget.
//
//   npm run check:size            (after npm run build)
//
// Budgets from issue 15: the public home page ≤ 250 KB, the admin portal ≤ 500 KB; sign in and
// sign up are held near their size when this was written.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const KB = 1000;

/**
 * Pages and what their first load needs besides index.html's entry, as source paths (the
 * manifest's keys for lazily loaded modules). `budget` in bytes, gzip; pages without one are
 * printed for information.
 */
const pages = [
  { name: 'public home (/)', lazy: [], budget: 250 * KB },
  // The forms' validation library (zod, ~27 KB) is most of the difference to the home page.
  { name: 'sign in (/login)', lazy: ['src/account/public/LoginPage.tsx'], budget: 275 * KB },
  { name: 'sign up (/register)', lazy: ['src/account/public/RegisterPage.tsx'], budget: 275 * KB },
  { name: 'admin (/admin)', lazy: ['src/admin/AdminPortal.tsx'], budget: 500 * KB },
  {
    name: 'admin POPs list (/admin/config/pops)',
    lazy: ['src/admin/AdminPortal.tsx', 'src/config/ConfigListPage.tsx', 'src/admin/catalog/pops.ts'],
  },
  { name: 'customer portal (/portal)', lazy: ['src/portal/CustomerPortal.tsx'] },
];

const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`size budget: ${manifestPath} is missing; run \`npm run build\` first (vite.config.ts sets build.manifest).`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

/**
 * A module that is both imported lazily and shared (a kind's field list, say) becomes a shared
 * chunk keyed by its hashed file name; find it by its source file's name instead.
 */
function bySource(path) {
  const name = path.split('/').at(-1).replace(/\.[jt]sx?$/, '');
  const found = Object.entries(manifest).filter(([key, chunk]) => chunk.src === path || (key.startsWith('_') && chunk.name === name));
  return found.length === 1 ? found[0][1] : undefined;
}

/** The files a chunk needs before it runs: itself, its style sheets, its static imports' (not dynamic ones). */
function closure(key, files = new Set()) {
  const chunk = manifest[key] ?? bySource(key);
  if (!chunk) throw new Error(`size budget: ${key} is not in the manifest; did the module move? Update scripts/size-budget.mjs.`);
  if (files.has(chunk.file)) return files;
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const imported of chunk.imports ?? []) closure(imported, files);
  return files;
}

/** What dist/index.html itself asks for: the entry script, modulepreloads and style sheets. */
function htmlAssets() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  return [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
}

const sizes = new Map();
function size(file) {
  if (!sizes.has(file)) {
    const bytes = readFileSync(join(dist, file));
    sizes.set(file, {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 6 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return sizes.get(file);
}

const entry = closure('index.html');
const fromHtml = htmlAssets();
const missing = [...entry].filter((f) => !fromHtml.includes(f));
// Besides the bundle, index.html loads public/color-scheme.js (set the theme before first paint).
const extra = fromHtml.filter((f) => !entry.has(f) && f.startsWith('assets/'));
for (const file of fromHtml) entry.add(file);
if (missing.length > 0 || extra.length > 0) {
  // index.html preloads what the manifest says the entry needs; a mismatch means this script
  // measures something other than what browsers download.
  console.error(`size budget: dist/index.html and the manifest disagree (missing ${missing}, extra ${extra})`);
  process.exit(2);
}

const kb = (n) => `${(n / KB).toFixed(1)} KB`;
let failed = false;
console.log('First-load weight (JS + CSS; gzip level 6 as budgeted, brotli for information):');
for (const page of pages) {
  const files = new Set(entry);
  for (const key of page.lazy) closure(key, files);
  const total = { raw: 0, gzip: 0, brotli: 0, jsGzip: 0, cssGzip: 0 };
  for (const file of files) {
    const s = size(file);
    total.raw += s.raw;
    total.gzip += s.gzip;
    total.brotli += s.brotli;
    if (file.endsWith('.css')) total.cssGzip += s.gzip;
    else total.jsGzip += s.gzip;
  }
  const over = page.budget !== undefined && total.gzip > page.budget;
  failed ||= over;
  const verdict = page.budget === undefined ? '' : over ? `  OVER BUDGET (${kb(page.budget)})` : `  ok (budget ${kb(page.budget)})`;
  console.log(
    `  ${page.name.padEnd(40)} ${kb(total.gzip).padStart(9)} gzip  (JS ${kb(total.jsGzip)}, CSS ${kb(total.cssGzip)}; ` +
      `${kb(total.brotli)} brotli, ${kb(total.raw)} raw, ${files.size} files)${verdict}`,
  );
  if (over || process.env.SIZE_BUDGET_VERBOSE) {
    for (const file of [...files].sort((a, b) => size(b).gzip - size(a).gzip)) {
      console.log(`      ${kb(size(file).gzip).padStart(9)}  ${file}`);
    }
  }
}
if (failed) {
  console.error('size budget: a first load is over budget. Load the new code on demand (src/app/router.tsx, lazyScreen) instead.');
  process.exit(1);
}
