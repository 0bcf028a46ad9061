import { Badge, Code, Group, Text } from '@mantine/core';
import type { ConfigRecord, KindDefinition } from '../../config/kind';
import { RecordName } from '../../config/display';
import { statusField } from '../catalog/common';

/** Where a route sends calls first: its carrier, or its route group (marked). */
function RouteTarget({ route }: { route: ConfigRecord }) {
  if (typeof route.route_group_id === 'string' && route.route_group_id) {
    return (
      <Group gap={6} wrap="nowrap">
        <RecordName kind="route_group" id={route.route_group_id} />
        <Badge color="gray" variant="light" tt="none" fw={500} size="sm" style={{ flexShrink: 0 }}>
          group
        </Badge>
      </Group>
    );
  }
  return typeof route.carrier_id === 'string' && route.carrier_id ? <RecordName kind="carrier" id={route.carrier_id} /> : '—';
}

/**
 * Routes: a destination prefix sent to a carrier or a route group first, for
 * whom it is assigned to. A route assigned to one customer is that
 * customer's custom route.
 */
export const routes: KindDefinition = {
  kind: 'route',
  noun: 'route',
  plural: 'Routes',
  assigned: true,
  synced: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Egypt via ACME' },
    {
      name: 'prefix',
      label: 'Prefix',
      type: 'text',
      half: true,
      monospace: true,
      placeholder: '20',
      description: 'Numbers starting with these digits; the longest matching prefix wins.',
    },
    { name: 'carrier_id', label: 'Carrier', type: 'reference', kind: 'carrier', half: true, placeholder: 'Choose a carrier', description: 'Send the calls to this carrier…' },
    { name: 'route_group_id', label: 'Route group', type: 'reference', kind: 'route_group', half: true, placeholder: 'Or a route group', description: '…or to a route group (not both).' },
    { name: 'tier_id', label: 'Voice tier', type: 'reference', kind: 'voice_tier', half: true, placeholder: 'Every tier', description: 'Only for calls of this tier; empty for every tier.' },
    {
      name: 'priority',
      label: 'Priority',
      type: 'number',
      half: true,
      description: 'Lower wins when two routes match equally well.',
    },
    {
      name: 'failover',
      label: 'Fail over to other carriers',
      type: 'flag',
      description: 'When the route’s carriers fail, try the customer’s other carriers. Off: only this route’s carriers are used.',
    },
    { ...statusField(), description: 'Only active routes are used.' },
  ],
  check: (values): Record<string, string> => {
    const carrier = typeof values.carrier_id === 'string' && values.carrier_id !== '';
    const group = typeof values.route_group_id === 'string' && values.route_group_id !== '';
    if (!carrier && !group) return { carrier_id: 'Choose a carrier or a route group' };
    if (carrier && group) return { route_group_id: 'Choose a carrier or a route group, not both' };
    return {};
  },
  // Status shows as a badge beside a disabled route's name, so the table fits beside "who gets it".
  columns: [
    {
      field: 'name',
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          <span>{String(r.name ?? '')}</span>
          {r.status === 'disabled' && (
            <Badge color="gray" style={{ flexShrink: 0 }}>
              Disabled
            </Badge>
          )}
        </Group>
      ),
    },
    { field: 'prefix', width: 90, render: (r) => <Code>{String(r.prefix ?? '')}</Code> },
    { field: 'carrier_id', title: 'Sends to', render: (r) => <RouteTarget route={r} /> },
    {
      field: 'tier_id',
      title: 'Tier',
      render: (r) =>
        typeof r.tier_id === 'string' && r.tier_id ? (
          <RecordName kind="voice_tier" id={r.tier_id} />
        ) : (
          <Text span size="sm" c="dimmed">
            Every tier
          </Text>
        ),
    },
    { field: 'priority', width: 90 },
    { field: 'failover', title: 'Failover', width: 100, render: (r) => (r.failover === false || r.failover === 0 ? <Badge color="amber">Off</Badge> : 'On') },
  ],
};
