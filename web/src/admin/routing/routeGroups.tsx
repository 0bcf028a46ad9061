import { Text } from '@mantine/core';
import type { KindDefinition } from '../../config/kind';
import { useRecordName } from '../../config/display';
import { statusField } from '../catalog/common';
import { MAX_ORDER, membersSummary, orderLabel, readMembers, sharesProblem } from './routeGroupMembers';

/** "ACME 70 % · Core 30 % → backup Beta", with the carriers' names. */
function MembersSummary({ rows }: { rows: Record<string, unknown>[] }) {
  const carrierName = useRecordName('carrier');
  return (
    <Text span size="sm">
      {membersSummary(readMembers(rows), carrierName)}
    </Text>
  );
}

/** Carriers bundled with a primary/backup order and load shares; routes send calls to them. Not assigned by scope: routes are. */
export const routeGroups: KindDefinition = {
  kind: 'route_group',
  noun: 'route group',
  plural: 'Route groups',
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Egypt premium' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'eg-premium' },
    {
      name: 'members',
      label: 'Carriers',
      type: 'rows',
      rowNoun: 'carrier',
      description: 'Calls go to the primary carriers first, split by their shares; the backups are tried in order when they fail. The shares of each order add up to 100 %.',
      fields: [
        { name: 'carrier_id', label: 'Carrier', type: 'reference', kind: 'carrier', placeholder: 'Choose a carrier' },
        {
          name: 'order',
          label: 'Order',
          type: 'select',
          // Labels of the orders the server allows (1 to 10).
          options: Array.from({ length: MAX_ORDER }, (_, i) => ({ value: String(i + 1), label: orderLabel(i + 1) })),
        },
        { name: 'share', label: 'Share', type: 'number', suffix: '%' },
      ],
      display: (rows) => <MembersSummary rows={rows} />,
    },
    { ...statusField(), description: 'A disabled group sends no calls: routes to it fall over to the other carriers, or reach none without failover.' },
  ],
  check: (values): Record<string, string> => {
    const problem = sharesProblem(readMembers(Array.isArray(values.members) ? (values.members as Record<string, unknown>[]) : []));
    return problem ? { members: problem } : {};
  },
  columns: ['name', 'code', { field: 'members', title: 'Carriers' }, { field: 'status', width: 110 }],
};
