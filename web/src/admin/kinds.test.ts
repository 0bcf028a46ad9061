import { describe, expect, it } from 'vitest';
import openapi from '../../openapi.json?raw';
import type { FieldSpec } from '../config/kind';
import { unbounded } from '../config/rules';
import { adminKinds } from './kinds';

/**
 * The admin screens say only labels and layout: every field's rules come
 * from the server (crates/server, one declaration per field). The committed
 * OpenAPI document is the server's list of each kind's fields.
 */

const schemas = (JSON.parse(openapi) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }).components.schemas;
const schemaName = (kind: string) => kind.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** Properties a layout leaves to the server's rules. */
const RULES = ['required', 'min', 'max', 'default', 'pattern', 'case', 'optional', 'numeric', 'unique', 'item', 'normalize', 'itemMax', 'itemPattern'];

function rulesIn(field: FieldSpec): string[] {
  const own = RULES.filter((r) => r in field && (field as unknown as Record<string, unknown>)[r] !== undefined);
  if (field.type === 'margin' && field.bounds !== unbounded) own.push('bounds');
  if (field.type === 'rows') return [...own, ...field.fields.flatMap((sub) => rulesIn(sub).map((r) => `${sub.name}.${r}`))];
  return own;
}

describe('admin kind definitions', () => {
  it.each(adminKinds.map((k) => [k.kind, k] as const))('%s lays out exactly the fields the server has', (kind, def) => {
    const fields = schemas[`${schemaName(kind)}Fields`]?.properties;
    expect(fields, `${schemaName(kind)}Fields in openapi.json`).toBeDefined();
    expect(def.fields.map((f) => f.name).sort()).toEqual(Object.keys(fields ?? {}).sort());
  });

  it.each(adminKinds.map((k) => [k.kind, k] as const))('%s leaves every rule to the server', (_, def) => {
    for (const field of def.fields) expect(rulesIn(field), field.name).toEqual([]);
  });
});
