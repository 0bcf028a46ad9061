import { describe, expect, it } from 'vitest';
import type { ConfigRecord, KindDefinition } from './kind';
import { changedAssignments, changedFields, emptyValues, fieldError, fieldsFromValues, problemField, validate, valuesFromRecord } from './values';

const plan: KindDefinition = {
  kind: 'plan',
  noun: 'plan',
  plural: 'Plans',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, max: 80 },
    // As the server's rules make it (see rules.ts): the pattern and its message come from GET /api/v1/config/kinds.
    { name: 'code', label: 'Code', type: 'code', max: 40, pattern: { regex: /^[A-Za-z0-9_-]+$/, message: 'May contain only letters, digits, _ and -' } },
    { name: 'channels', label: 'Channels', type: 'number', min: 1, max: 100_000, required: true },
    { name: 'priority', label: 'Priority', type: 'number', min: 1, max: 1000, default: 100 },
    { name: 'payload_type', label: 'Payload', type: 'number', min: 0, max: 127, optional: true },
    { name: 'monthly_price', label: 'Price', type: 'money', default: 0 },
    { name: 'hosts', label: 'Hosts', type: 'list', normalize: (h) => h.toLowerCase() },
    { name: 'currency', label: 'Currency', type: 'text', case: 'upper', default: 'USD', pattern: { regex: /^[A-Z]{3}$/, message: 'Three letters' } },
    { name: 'status', label: 'Status', type: 'select', options: [{ value: 'active', label: 'Active' }, { value: 'disabled', label: 'Disabled' }] },
  ],
  columns: ['name'],
};

const stored: ConfigRecord = {
  id: 'p1',
  version: 3,
  created_at: '',
  created_by: null,
  updated_at: '',
  updated_by: null,
  name: 'Gold',
  code: 'gold',
  channels: 30,
  priority: 100,
  payload_type: null,
  monthly_price: 49_500_000,
  hosts: ['a.example.com'],
  currency: 'USD',
  status: 'active',
  assignments: [{ scope: { kind: 'all' } }],
};

describe('form values and API fields', () => {
  it('start a new record with the server’s defaults and ALL', () => {
    const v = emptyValues(plan);
    expect(v).toMatchObject({ priority: 100, monthly_price: '0.00', currency: 'USD', status: 'active', hosts: [], assignments: [{ scope: { kind: 'all' } }] });
  });

  it('show money as a decimal and send it as micro-units', () => {
    const v = valuesFromRecord(plan, stored);
    expect(v.monthly_price).toBe('49.50');
    expect(fieldsFromValues(plan, { ...v, monthly_price: '12.345678' }).monthly_price).toBe(12_345_678);
  });

  it('normalise as the server does: codes lower-case, currencies upper-case, lists trimmed', () => {
    const f = fieldsFromValues(plan, { ...emptyValues(plan), name: ' Gold ', code: 'GOLD', channels: 5, currency: 'eur', hosts: [' A.Example.com ', ''] });
    expect(f).toMatchObject({ name: 'Gold', code: 'gold', currency: 'EUR', hosts: ['a.example.com'] });
  });

  it('leave empty numbers to the server’s default but send an emptied optional one as null', () => {
    const f = fieldsFromValues(plan, { ...emptyValues(plan), priority: '', payload_type: '' });
    expect('priority' in f).toBe(false);
    expect(f.payload_type).toBeNull();
  });

  it('send only what changed in an update, and the assignments only when they changed', () => {
    const v = valuesFromRecord(plan, stored);
    expect(changedFields(plan, stored, v)).toEqual({});
    expect(changedAssignments(plan, stored, v)).toBeUndefined();
    expect(changedFields(plan, stored, { ...v, channels: 60, hosts: ['a.example.com', 'b.example.com'] })).toEqual({
      channels: 60,
      hosts: ['a.example.com', 'b.example.com'],
    });
    const priv = [{ scope: { kind: 'private' as const, id: 'acme' } }];
    expect(changedAssignments(plan, stored, { ...v, assignments: priv })).toEqual(priv);
  });
});

describe('client-side rules mirror the server', () => {
  const spec = (name: string) => plan.fields.find((f) => f.name === name)!;

  it('check each field', () => {
    expect(fieldError(spec('name'), '  ')).toBe('Is required');
    expect(fieldError(spec('code'), 'Bad code!')).toBe('May contain only letters, digits, _ and -');
    expect(fieldError(spec('code'), 'GOLD-1')).toBeUndefined();
    expect(fieldError(spec('channels'), 0)).toBe('Must be between 1 and 100000');
    expect(fieldError(spec('channels'), '')).toBe('Is required');
    expect(fieldError(spec('channels'), 2.5)).toBe('Must be a whole number');
    expect(fieldError(spec('priority'), '')).toBeUndefined();
    expect(fieldError(spec('monthly_price'), '1.1234567')).toBe('Use at most 6 decimals');
    expect(fieldError(spec('currency'), 'usd')).toBeUndefined();
    expect(fieldError(spec('currency'), 'US')).toBe('Three letters');
    expect(fieldError(spec('status'), 'paused')).toMatch(/Choose one of/);
  });

  it('report every problem at once, assignments included', () => {
    const errors = validate(plan, { ...emptyValues(plan), assignments: [{ scope: { kind: 'private', id: '' } }] });
    expect(Object.keys(errors).sort()).toEqual(['assignments', 'channels', 'code', 'name']);
  });

  it('place a server problem on its field', () => {
    expect(problemField('sip_hosts[1]')).toEqual({ name: 'sip_hosts', index: 1 });
    expect(problemField('channels')).toEqual({ name: 'channels' });
  });
});
