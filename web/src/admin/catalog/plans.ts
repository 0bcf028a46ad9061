import type { KindDefinition } from '../../config/kind';
import { currencyField, statusField } from './common';

/** Channel/CPS plans: concurrent calls and calls per second, with a monthly price (plan task 9). */
export const plans: KindDefinition = {
  kind: 'plan',
  noun: 'channel/CPS plan',
  plural: 'Channel/CPS plans',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Starter 10' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'starter-10' },
    { name: 'description', label: 'Description', type: 'textarea' },
    { name: 'channels', label: 'Channels', type: 'number', grouping: true, half: true, description: 'Concurrent calls.' },
    { name: 'cps', label: 'CPS', type: 'number', grouping: true, half: true, description: 'New calls per second.' },
    { name: 'monthly_price', label: 'Monthly price', type: 'money', half: true },
    currencyField,
    statusField(),
  ],
  columns: ['name', 'code', { field: 'channels', width: 110 }, { field: 'cps', width: 90 }, 'monthly_price', 'status'],
};
