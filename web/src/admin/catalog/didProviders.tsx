import type { KindDefinition } from '../../config/kind';
import { statusField } from './common';
import { DidInventory } from './DidInventory';

/** Number suppliers, the countries they cover, and their inventory (plan task 11). */
export const didProviders: KindDefinition = {
  kind: 'did_provider',
  noun: 'DID provider',
  plural: 'DID providers',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Local numbers' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'local' },
    {
      name: 'adapter',
      label: 'Connection',
      type: 'select',
      half: true,
      options: [{ value: 'local', label: 'Local inventory' }],
      description: 'Local: the numbers you add here. Suppliers’ APIs come as further adapters.',
    },
    statusField(),
    {
      name: 'countries',
      label: 'Countries',
      type: 'list',
      placeholder: 'US',
      description: 'ISO 3166 alpha-2 codes of the countries it has numbers in.',
    },
  ],
  columns: ['name', 'code', 'adapter', 'countries', 'status'],
  tabs: [{ value: 'inventory', label: 'Inventory', render: (provider, canWrite) => <DidInventory provider={provider} canWrite={canWrite} /> }],
};
