import { afterEach, describe, expect, it } from 'vitest';
import type { KindDefinition, ListField, MarginField, NumberField, RowsField, SelectField, TextField } from './kind';
import { complete, type FieldRules, type KindRules, setKindRules, unbounded, withRules } from './rules';
import { emptyValues, fieldError, fieldsFromValues, validate } from './values';

/** A layout as an admin screen writes it: labels and layout, no rules. */
function layout(): KindDefinition {
  return {
    kind: 'pop',
    noun: 'POP',
    plural: 'POPs',
    read: 'config.read',
    write: 'config.manage',
    fields: [
      { name: 'name', label: 'Name', type: 'text' },
      { name: 'code', label: 'Code', type: 'code' },
      { name: 'sip_hosts', label: 'SIP hosts', type: 'list' },
      { name: 'port', label: 'Port', type: 'number' },
      { name: 'transport', label: 'Transport', type: 'select', options: [{ value: 'udp', label: 'UDP' }, { value: 'tcp', label: 'TCP' }] },
      { name: 'currency', label: 'Currency', type: 'text' },
      { name: 'margin_type', label: 'Type', type: 'select', options: [] },
      { name: 'margin', label: 'Margin', type: 'margin', unitField: 'margin_type', bounds: unbounded },
      {
        name: 'members',
        label: 'Carriers',
        type: 'rows',
        rowNoun: 'carrier',
        fields: [
          { name: 'carrier_id', label: 'Carrier', type: 'reference', kind: 'carrier' },
          { name: 'order', label: 'Order', type: 'select', options: [{ value: '1', label: 'Primary' }] },
        ],
      },
    ],
    columns: ['name'],
  };
}

const rule = (name: string, type: string, more: Partial<FieldRules> = {}): FieldRules => ({ name, type, required: false, nullable: false, description: '', ...more });

/** The server's description of the same kind (GET /api/v1/config/kinds). */
const rules: KindRules = {
  kind: 'pop',
  label: 'POP',
  schema: 'PopRecord',
  unique: ['code'],
  read_permission: 'config.read',
  write_permission: 'config.manage',
  fields: [
    rule('name', 'text', { required: true, max_length: 80, format: 'plain' }),
    rule('code', 'text', { required: true, max_length: 40, format: 'code', pattern: '^[A-Za-z0-9_-]+$', pattern_message: 'may contain only letters, digits, _ and -', case: 'lower' }),
    rule('sip_hosts', 'list', { required: true, max_items: 3, max_length: 253, format: 'sip_host', case: 'lower' }),
    rule('port', 'integer', { min: 1, max: 65_535, default: 5060 }),
    rule('transport', 'choice', { choices: ['udp', 'tcp', 'tls'], default: 'udp' }),
    rule('currency', 'text', { max_length: 3, format: 'currency', pattern: '^[A-Za-z]{3}$', pattern_message: 'must be a three-letter ISO 4217 code such as USD', case: 'upper', default: 'USD' }),
    rule('margin_type', 'choice', { choices: ['percent', 'fixed'], default: 'percent' }),
    rule('margin', 'integer', {
      required: true,
      min: -100_000_000,
      max: 1_000_000_000,
      default: 0,
      ranges: {
        by: 'margin_type',
        ranges: [
          { when: 'percent', min: -100_000_000, max: 1_000_000_000, message: '' },
          { when: 'fixed', min: -100_000_000, max: 100_000_000, message: '' },
        ],
      },
    }),
    rule('members', 'rows', {
      required: true,
      max_items: 50,
      unique: 'carrier_id',
      fields: [rule('carrier_id', 'reference', { required: true, reference: 'carrier' }), rule('order', 'integer', { min: 1, max: 3, default: 1 })],
    }),
  ],
};

afterEach(() => setKindRules(null));

describe('the server’s field rules laid over a layout', () => {
  const full = withRules(layout(), rules);
  const field = <T,>(name: string) => full.fields.find((f) => f.name === name) as T;

  it('bring bounds, lengths, patterns, defaults and whether a value is required', () => {
    expect(field<TextField>('name')).toMatchObject({ required: true, max: 80 });
    expect(field<NumberField>('port')).toMatchObject({ min: 1, max: 65_535, default: 5060, required: false });
    expect(field<TextField>('currency')).toMatchObject({ case: 'upper', default: 'USD', max: 3 });
    expect(fieldError(field('currency'), 'US')).toBe('Must be a three-letter ISO 4217 code such as USD');
    expect(fieldError(field('code'), 'Bad code!')).toBe('May contain only letters, digits, _ and -');
    expect(fieldError(field('code'), 'x'.repeat(41))).toBe('Must be at most 40 characters');
  });

  it('take the choices from the server and the labels from the layout', () => {
    expect(field<SelectField>('transport').options).toEqual([
      { value: 'udp', label: 'UDP' },
      { value: 'tcp', label: 'TCP' },
      { value: 'tls', label: 'tls' },
    ]);
    const order = field<RowsField>('members').fields.find((f) => f.name === 'order') as SelectField;
    expect(order.options.map((o) => o.label)).toEqual(['Primary', '2', '3']);
    expect(order).toMatchObject({ numeric: true, default: '1' });
  });

  it('bound lists and their entries, and check a named format', () => {
    const hosts = field<ListField>('sip_hosts');
    expect(hosts).toMatchObject({ required: true, max: 3, itemMax: 253, format: 'sip_host' });
    expect(fieldError(hosts, ['a.example', 'b.example', 'c.example', 'd.example'])).toBe('At most 3 entries');
    expect(fieldError(hosts, ['sip fra'])).toBe('“sip fra” is not a host name or IP address');
    expect(fieldError(hosts, ['SIP.Example.COM'])).toBeUndefined();
  });

  it('bound a margin by its unit', () => {
    const margin = field<MarginField>('margin');
    expect(margin.bounds).toEqual({ percent: [-100_000_000, 1_000_000_000], fixed: [-100_000_000, 100_000_000] });
    expect(fieldError(margin, '1001', { margin_type: 'percent' })).toBe('Must be between -100 % and 1000 %');
  });

  it('make rows required and unique by the server’s column', () => {
    expect(field<RowsField>('members')).toMatchObject({ required: true, max: 50, unique: 'carrier_id' });
    expect((field<RowsField>('members').fields[0] as { required?: boolean }).required).toBe(true);
  });

  it('leave a layout as it is until the rules are loaded, then complete it once', () => {
    const def = layout();
    expect(emptyValues(def).port).toBe('');
    setKindRules([rules]);
    const values = emptyValues(def);
    expect(values).toMatchObject({ port: 5060, transport: 'udp', currency: 'USD', margin: '0' });
    expect(fieldsFromValues(def, { ...values, name: 'Frankfurt', code: 'FRA', sip_hosts: ['SIP.FRA.example'] })).toMatchObject({ code: 'fra', sip_hosts: ['sip.fra.example'] });
    // A required list of rows starts with one row to fill in.
    expect(Object.keys(validate(def, values)).sort()).toEqual(['code', 'members[0].carrier_id', 'name', 'sip_hosts']);
    expect(complete(def)).toBe(def);
  });
});
