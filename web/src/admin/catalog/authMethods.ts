import type { KindDefinition } from '../../config/kind';
import { statusField } from './common';

/** How SIP trunks authenticate (plan task 8). */
export const authMethods: KindDefinition = {
  kind: 'auth_method',
  noun: 'auth method',
  plural: 'Auth methods',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Username and password' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'digest' },
    {
      name: 'method',
      label: 'Method',
      type: 'select',
      half: true,
      options: [
        { value: 'userpass', label: 'Username and password' },
        { value: 'ip', label: 'IP address' },
        { value: 'both', label: 'Both' },
      ],
      description: 'A customer’s default is the method assigned to them most specifically.',
    },
    statusField(),
  ],
  columns: ['name', 'code', 'method', 'status'],
};
