import { describe, expect, it } from 'vitest';
import type { ConfigRecord, KindDefinition } from './kind';
import type { MarginBounds } from './margin';
import { kindResolver } from './resolver';
import { changedFields, emptyValues, fieldsFromValues, problemField, validate, valuesFromRecord } from './values';

const bounds: MarginBounds = { percent: [-100_000_000, 1_000_000_000], fixed: [-100_000_000, 100_000_000] };

/** A kind with a margin, a list of rows and a field shown only for one choice: like a rate card and a route group in one. */
const card: KindDefinition = {
  kind: 'rate_card',
  noun: 'rate card',
  plural: 'Rate cards',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true },
    { name: 'source', label: 'Rates', type: 'select', default: 'derived', options: [{ value: 'derived', label: 'Derived' }, { value: 'uploaded', label: 'Uploaded' }] },
    { name: 'margin_type', label: 'Type', type: 'select', default: 'percent', options: [{ value: 'percent', label: '%' }, { value: 'fixed', label: 'Fixed' }] },
    { name: 'margin', label: 'Margin', type: 'margin', unitField: 'margin_type', bounds, default: 0, visible: (v) => v.source !== 'uploaded' },
    {
      name: 'overrides',
      label: 'Overrides',
      type: 'rows',
      rowNoun: 'override',
      unique: 'prefix',
      visible: (v) => v.source !== 'uploaded',
      fields: [
        { name: 'prefix', label: 'Prefix', type: 'text', required: true, pattern: { regex: /^\d{1,15}$/, message: 'Must be 1–15 digits' } },
        { name: 'margin_type', label: 'Type', type: 'select', default: 'percent', options: [{ value: 'percent', label: '%' }, { value: 'fixed', label: 'Fixed' }] },
        { name: 'margin', label: 'Margin', type: 'margin', unitField: 'margin_type', bounds, required: true },
      ],
    },
    {
      name: 'members',
      label: 'Carriers',
      type: 'rows',
      rowNoun: 'carrier',
      required: true,
      unique: 'carrier_id',
      fields: [
        { name: 'carrier_id', label: 'Carrier', type: 'reference', kind: 'carrier', required: true },
        { name: 'order', label: 'Order', type: 'select', numeric: true, default: '1', options: [{ value: '1', label: 'Primary' }, { value: '2', label: 'Backup 1' }] },
        { name: 'share', label: 'Share', type: 'number', min: 1, max: 100, default: 100, required: true },
      ],
    },
  ],
  columns: ['name'],
};

const stored: ConfigRecord = {
  id: 'rc1',
  version: 2,
  created_at: '',
  created_by: null,
  updated_at: '',
  updated_by: null,
  name: 'Retail',
  source: 'derived',
  margin_type: 'percent',
  margin: 20_000_000,
  overrides: [{ prefix: '2010', margin_type: 'fixed', margin: 50_000 }],
  members: [{ order: 1, carrier_id: 'acme', share: 100 }],
  assignments: [{ scope: { kind: 'all' } }],
};

describe('rows, margins and fields shown for one choice', () => {
  it('start a required list with one row to fill in and an optional one empty', () => {
    const v = emptyValues(card);
    expect(v.overrides).toEqual([]);
    expect(v.members).toEqual([{ carrier_id: null, order: '1', share: 100 }]);
    expect(v.margin).toBe('0');
  });

  it('edit margins as decimals and numeric choices as text, and send the API’s integers', () => {
    const v = valuesFromRecord(card, stored);
    expect(v.margin).toBe('20');
    expect(v.overrides).toEqual([{ prefix: '2010', margin_type: 'fixed', margin: '0.05' }]);
    expect(v.members).toEqual([{ carrier_id: 'acme', order: '1', share: 100 }]);
    const f = fieldsFromValues(card, { ...v, margin: '12.5', overrides: [{ prefix: '20', margin_type: 'percent', margin: '-5' }] });
    expect(f.margin).toBe(12_500_000);
    expect(f.overrides).toEqual([{ prefix: '20', margin_type: 'percent', margin: -5_000_000 }]);
    expect(f.members).toEqual([{ carrier_id: 'acme', order: 1, share: 100 }]);
  });

  it('see no change in rows whose keys come back in another order', () => {
    const v = valuesFromRecord(card, stored);
    expect(changedFields(card, stored, v)).toEqual({});
    expect(changedFields(card, stored, { ...v, members: [...(v.members as object[]), { carrier_id: 'beta', order: '2', share: 100 }] })).toEqual({
      members: [
        { carrier_id: 'acme', order: 1, share: 100 },
        { carrier_id: 'beta', order: 2, share: 100 },
      ],
    });
  });

  it('report each bad cell as the server does: list[row].column', () => {
    const v = valuesFromRecord(card, stored);
    const errors = validate(card, {
      ...v,
      margin: '2000',
      overrides: [
        { prefix: '20', margin_type: 'fixed', margin: '101' },
        { prefix: '2x', margin_type: 'percent', margin: '' },
        { prefix: '20', margin_type: 'percent', margin: '5' },
      ],
      members: [],
    });
    expect(errors).toEqual({
      margin: 'Must be between -100 % and 1000 %',
      'overrides[0].margin': 'Must be between -100 and 100 per minute',
      'overrides[1].prefix': 'Must be 1–15 digits',
      'overrides[1].margin': 'Is required',
      'overrides[2].prefix': 'Already in row 1',
      members: 'Add at least one carrier',
    });
  });

  it('neither check nor send a field hidden by the current choice', () => {
    const v = { ...valuesFromRecord(card, stored), source: 'uploaded', margin: 'nonsense', overrides: [{ prefix: '', margin_type: 'percent', margin: '' }] };
    expect(validate(card, v)).toEqual({});
    const f = fieldsFromValues(card, v);
    expect('margin' in f || 'overrides' in f).toBe(false);
    expect(changedFields(card, stored, v)).toEqual({ source: 'uploaded' });
  });

  it('find the row and column of a server problem', () => {
    expect(problemField('members[1].share')).toEqual({ name: 'members', index: 1, column: 'share' });
    expect(problemField('sip_hosts[2]')).toEqual({ name: 'sip_hosts', index: 2 });
    expect(problemField('margin')).toEqual({ name: 'margin' });
  });
});

describe('the form resolver', () => {
  it('nests a cell’s problem under its list, row and column, as react-hook-form keeps errors of lists', async () => {
    const v = { ...valuesFromRecord(card, stored), members: [{ carrier_id: 'acme', order: '1', share: 100 }, { carrier_id: 'acme', order: '1', share: 0 }] };
    const result = await kindResolver(card)(v, undefined, { fields: {}, shouldUseNativeValidation: false });
    const members = result.errors.members as unknown as Record<number, Record<string, { message: string }>>;
    expect(members[1]!.carrier_id!.message).toBe('Already in row 1');
    expect(members[1]!.share!.message).toBe('Must be between 1 and 100');
    expect(result.errors.name).toBeUndefined();
  });
});
