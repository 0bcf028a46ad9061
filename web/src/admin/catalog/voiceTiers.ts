import type { KindDefinition } from '../../config/kind';
import { currencyField, statusField } from './common';

/** Route quality tiers with their targets and per-minute rate (plan task 6). */
export const voiceTiers: KindDefinition = {
  kind: 'voice_tier',
  noun: 'voice tier',
  plural: 'Voice tiers',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Premium' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'premium' },
    { name: 'description', label: 'Description', type: 'textarea' },
    { name: 'target_asr', label: 'Target ASR', type: 'percent', half: true, description: 'Answer-seizure ratio the routes should reach.' },
    {
      name: 'target_pdd_ms',
      label: 'Target PDD',
      type: 'number',
      suffix: 'ms',
      half: true,
      description: 'Post-dial delay, in milliseconds.',
    },
    { name: 'rate_per_minute', label: 'Rate', type: 'money', rate: true, half: true },
    currencyField,
    statusField(),
  ],
  columns: ['name', 'code', { field: 'target_asr', title: 'ASR' }, { field: 'target_pdd_ms', title: 'PDD' }, 'rate_per_minute', 'status'],
};
