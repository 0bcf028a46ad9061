// Fails when src/api/schema.d.ts no longer matches openapi.json, so a server
// change that alters the API cannot land without the regenerated client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(web, 'src/api/schema.d.ts');
const dir = mkdtempSync(join(tmpdir(), 'didtron-schema-'));
const fresh = join(dir, 'schema.d.ts');

try {
  execFileSync(
    process.execPath,
    [join(web, 'node_modules/openapi-typescript/bin/cli.js'), join(web, 'openapi.json'), '-o', fresh],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const normalize = (text) => text.replace(/\r\n/g, '\n');
  let current = '';
  try {
    current = readFileSync(committed, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (normalize(current) !== normalize(readFileSync(fresh, 'utf8'))) {
    console.error('web/src/api/schema.d.ts is stale: run npm run gen:api');
    process.exitCode = 1;
  } else {
    console.log('web/src/api/schema.d.ts matches web/openapi.json');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
