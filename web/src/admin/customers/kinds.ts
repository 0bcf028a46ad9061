import type { KindDefinition } from '../../config/kind';

/** Customer categories (plan task 3): every offering cascades by category. */
export const categories: KindDefinition = {
  kind: 'category',
  noun: 'category',
  plural: 'Categories',
  read: 'customers.read',
  write: 'customers.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Wholesale' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'wholesale' },
    { name: 'description', label: 'Description', type: 'textarea', description: 'Shown under the name on the sign-up form.' },
    { name: 'is_public', label: 'Shown on the sign-up form', type: 'flag', half: true },
    { name: 'sort_order', label: 'Sort order', type: 'number', half: true, description: 'Lower comes first.' },
  ],
  columns: [
    'name',
    'code',
    { field: 'is_public', title: 'Sign-up form', render: (r) => (r.is_public === true ? 'Shown' : 'Hidden') },
    { field: 'sort_order', title: 'Order', width: 90 },
  ],
};

/** Groups inside a category (plan task 3): a finer level for assignments. */
export const groups: KindDefinition = {
  kind: 'group',
  noun: 'group',
  plural: 'Groups',
  read: 'customers.read',
  write: 'customers.manage',
  filter: { field: 'category_id', kind: 'category', label: 'Category' },
  fields: [
    { name: 'category_id', label: 'Category', type: 'reference', kind: 'category', description: 'A group with customers cannot move to another category.' },
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'VIP' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'vip' },
    { name: 'description', label: 'Description', type: 'textarea' },
    { name: 'sort_order', label: 'Sort order', type: 'number', half: true },
  ],
  columns: ['name', 'code', 'category_id', { field: 'sort_order', title: 'Order', width: 90 }],
};
