import type { KindDefinition } from '../../config/kind';
import { statusField } from './common';

/** Codecs offered to customers, in the order the switch offers them (plan task 7). */
export const codecs: KindDefinition = {
  kind: 'codec',
  noun: 'codec',
  plural: 'Codecs',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  ordering: { field: 'priority' },
  pageSize: 100,
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'G.711 µ-law' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'pcmu' },
    {
      name: 'payload_type',
      label: 'RTP payload type',
      type: 'number',
      half: true,
      description: 'Static payload type (0–127); empty for dynamic codecs.',
    },
    { name: 'priority', label: 'Priority', type: 'number', half: true, description: 'Lower is offered first (1–1000).' },
    statusField(),
  ],
  columns: [{ field: 'priority', width: 90 }, 'name', 'code', { field: 'payload_type', title: 'Payload type' }, 'status'],
};
