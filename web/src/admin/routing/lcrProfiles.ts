import type { KindDefinition } from '../../config/kind';
import { statusField } from '../catalog/common';

/** How a customer's carriers are ordered and the margin below which they are left out. */
export const lcrProfiles: KindDefinition = {
  kind: 'lcr_profile',
  noun: 'LCR profile',
  plural: 'LCR profiles',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Quality first' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'quality-first' },
    {
      name: 'strategy',
      label: 'Strategy',
      type: 'select',
      half: true,
      options: [
        { value: 'cost', label: 'Cheapest first' },
        { value: 'quality', label: 'Quality-weighted cost' },
        { value: 'priority', label: 'Carrier priority' },
      ],
      description: 'Cost: lowest buy rate first. Quality: buy rate raised for carriers with poor ASR, ACD and PDD. Priority: the carriers’ priority numbers, then cost.',
    },
    {
      name: 'quality_weight',
      label: 'Quality weight',
      type: 'number',
      suffix: '%',
      half: true,
      visible: (v) => v.strategy === 'quality',
      description: 'Effective cost = buy rate × (1 + weight × (1 − quality score)). 100 % doubles the cost of a carrier with no quality.',
    },
    {
      name: 'min_margin',
      label: 'Minimum margin',
      type: 'money',
      rate: true,
      noCurrency: true,
      half: true,
      description: 'Per minute, sell rate minus buy rate. 0 never routes at a loss; negative allows a bounded loss.',
    },
    {
      name: 'allow_below_margin',
      label: 'Keep carriers below the minimum',
      type: 'flag',
      half: true,
      description: 'Off: carriers under the minimum margin are left out. On: they stay in the list, marked.',
    },
    { ...statusField(), description: 'Only active profiles apply; customers without one route cheapest first, never at a loss.' },
  ],
  columns: [
    'name',
    'strategy',
    'min_margin',
    { field: 'allow_below_margin', title: 'Below minimum', render: (r) => (r.allow_below_margin === true || r.allow_below_margin === 1 ? 'Kept, marked' : 'Left out') },
    { field: 'status', width: 110 },
  ],
};
