import { Badge, Group, Stack, Text } from '@mantine/core';
import type { FormValues, KindDefinition } from '../../config/kind';
import { asMarginUnit, formatMargin } from '../../config/margin';
import { unbounded } from '../../config/rules';
import { currencyField, statusField } from '../catalog/common';
import { SellRates } from './SellRates';

const derived = (v: FormValues) => v.source !== 'uploaded';

/** Each override as "2010: USD 0.0500/min", in the card's currency. */
function OverridesSummary({ rows, currency }: { rows: Record<string, unknown>[]; currency: string }) {
  return (
    <Stack gap={2}>
      {rows.map((o, i) => (
        <Text key={i} size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
          {String(o.prefix ?? '')}: {formatMargin(asMarginUnit(o.margin_type), typeof o.margin === 'number' ? o.margin : null, currency)}
        </Text>
      ))}
    </Stack>
  );
}

/**
 * Customer (sell) rate cards: carrier rates plus a margin, with per-prefix
 * overrides, or rates uploaded from a file. Assigned by scope; the most
 * specific card that reaches a customer prices their calls.
 */
export const rateCards: KindDefinition = {
  kind: 'rate_card',
  noun: 'rate card',
  plural: 'Rate cards',
  assigned: true,
  synced: true,
  read: 'config.read',
  write: 'config.manage',
  fields: [
    { name: 'name', label: 'Name', type: 'text', half: true, placeholder: 'Retail' },
    { name: 'code', label: 'Code', type: 'code', half: true, placeholder: 'retail' },
    {
      name: 'source',
      label: 'Rates',
      type: 'select',
      half: true,
      options: [
        { value: 'derived', label: 'Derived from carrier rates' },
        { value: 'uploaded', label: 'Uploaded from a file' },
      ],
      description: 'Derived: each carrier’s buy rate plus the margin. Uploaded: one sell rate per prefix, from a file you upload in the card’s Rates tab.',
    },
    currencyField,
    {
      name: 'margin_type',
      label: 'Margin type',
      type: 'select',
      half: true,
      visible: derived,
      options: [
        { value: 'percent', label: 'Percent of the buy rate' },
        { value: 'fixed', label: 'Fixed amount per minute' },
      ],
    },
    {
      name: 'margin',
      label: 'Margin',
      type: 'margin',
      unitField: 'margin_type',
      bounds: unbounded,
      half: true,
      visible: derived,
      description: 'Added to every carrier’s buy rate: 20 % sells 0.0100 at 0.0120; 0.005 sells it at 0.0150.',
    },
    {
      name: 'overrides',
      label: 'Margins by destination',
      type: 'rows',
      rowNoun: 'override',
      visible: derived,
      emptyText: 'No override: every destination gets the margin above.',
      display: (rows, record) => <OverridesSummary rows={rows} currency={String(record?.currency ?? 'USD')} />,
      description: 'A different margin for numbers starting with a prefix; the longest matching prefix wins.',
      fields: [
        {
          name: 'prefix',
          label: 'Prefix',
          type: 'text',
          monospace: true,
          placeholder: '2010',
        },
        {
          name: 'margin_type',
          label: 'Type',
          type: 'select',
          options: [
            { value: 'percent', label: 'Percent' },
            { value: 'fixed', label: 'Per minute' },
          ],
        },
        { name: 'margin', label: 'Margin', type: 'margin', unitField: 'margin_type', bounds: unbounded },
      ],
    },
    { ...statusField(), description: 'A disabled card prices nobody’s calls; the next most specific card applies.' },
  ],
  columns: [
    'name',
    'code',
    {
      field: 'margin',
      title: 'Margin',
      render: (r) => {
        if (r.source === 'uploaded') {
          return (
            <Badge color="gray" variant="light" tt="none" fw={500}>
              Uploaded rates
            </Badge>
          );
        }
        const overrides = Array.isArray(r.overrides) ? r.overrides.length : 0;
        return (
          <Group gap={6} wrap="nowrap">
            <Text span size="sm" ff="monospace">
              {formatMargin(asMarginUnit(r.margin_type), typeof r.margin === 'number' ? r.margin : 0, String(r.currency ?? 'USD'))}
            </Text>
            {overrides > 0 && (
              <Text span size="xs" c="dimmed">
                {overrides === 1 ? '1 override' : `${overrides} overrides`}
              </Text>
            )}
          </Group>
        );
      },
    },
    { field: 'currency', width: 100 },
    { field: 'status', width: 110 },
  ],
  tabs: [{ value: 'rates', label: 'Rates', when: (r) => r.source === 'uploaded', render: (card, canWrite) => <SellRates cardId={card.id} canWrite={canWrite} /> }],
};
