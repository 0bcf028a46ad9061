import { Text } from '@mantine/core';
import type { KindDefinition } from '../../config/kind';
import { statusField, sipPortField, sipTransportField } from '../catalog/common';
import { RateDecks } from './RateDecks';

/** Wholesale carriers you buy termination from; their rate decks live in a tab of the editor. */
export const carriers: KindDefinition = {
  kind: 'carrier',
  noun: 'carrier',
  plural: 'Carriers',
  assigned: true,
  synced: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Acme Telecom' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'acme' },
    {
      name: 'hosts',
      label: 'SIP hosts',
      type: 'list',
      placeholder: 'sip.acme.example',
      description: 'Host names or IP addresses calls are sent to, optionally with :port. Press Enter after each.',
    },
    sipPortField,
    sipTransportField,
    {
      name: 'tech_prefix',
      label: 'Tech prefix',
      type: 'text',
      half: true,
      monospace: true,
      description: 'Put in front of every number sent to this carrier.',
    },
    {
      name: 'auth',
      label: 'Authentication',
      type: 'select',
      half: true,
      options: [
        { value: 'ip', label: 'IP address' },
        { value: 'userpass', label: 'Username and password' },
        { value: 'both', label: 'Both' },
      ],
    },
    { name: 'channels', label: 'Channels', type: 'number', grouping: true, suffix: 'ch', half: true, description: 'Concurrent calls (0: no limit).' },
    { name: 'cps', label: 'CPS', type: 'number', grouping: true, half: true, description: 'New calls per second (0: no limit).' },
    {
      name: 'priority',
      label: 'Priority',
      type: 'number',
      half: true,
      description: 'Lower comes first in LCR profiles that order by carrier priority.',
    },
    { ...statusField(), description: 'Only active carriers are used for routing.' },
  ],
  columns: [
    'name',
    'code',
    'hosts',
    { field: 'transport', width: 100 },
    {
      field: 'channels',
      title: 'Channels / CPS',
      render: (c) => (
        <Text size="sm" ff="monospace">
          {Number(c.channels ?? 0).toLocaleString()} / {Number(c.cps ?? 0).toLocaleString()}
        </Text>
      ),
    },
    { field: 'priority', width: 90 },
    'status',
  ],
  tabs: [{ value: 'rate-decks', label: 'Rate decks', render: (carrier, canWrite) => <RateDecks carrierId={carrier.id} canWrite={canWrite} /> }],
};
