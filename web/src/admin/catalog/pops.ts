import type { KindDefinition } from '../../config/kind';
import { statusField, sipPortField, sipTransportField } from './common';

/** Points of presence customers register to (plan task 5). */
export const pops: KindDefinition = {
  kind: 'pop',
  noun: 'POP',
  plural: 'POPs',
  assigned: true,
  synced: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Frankfurt' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'fra1' },
    { name: 'region', label: 'Region', type: 'text', half: true, placeholder: 'Europe' },
    statusField([
      { value: 'active', label: 'Active', color: 'green' },
      { value: 'maintenance', label: 'Maintenance', color: 'amber' },
      { value: 'disabled', label: 'Disabled', color: 'gray' },
    ]),
    {
      name: 'sip_hosts',
      label: 'SIP hosts',
      type: 'list',
      placeholder: 'sip.fra1.example.com',
      description: 'Host names or IP addresses customers send SIP to, optionally with :port. Press Enter after each.',
    },
    sipPortField,
    sipTransportField,
    {
      name: 'capacity_channels',
      label: 'Capacity',
      type: 'number',
      suffix: 'ch',
      grouping: true,
      half: true,
      description: 'Concurrent channels it can carry (0 when not set).',
    },
  ],
  columns: ['name', 'code', 'region', 'sip_hosts', { field: 'transport', width: 100 }, 'status'],
};
