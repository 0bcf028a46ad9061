import { Alert, Button, Code, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertCircle, IconRoute, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { tableLook } from '../../components/tables';
import { CustomerSelect } from '../../config/CustomerSelect';
import { formatDate } from '../../lib/format';
import type { Portal } from '../../shell/nav';
import { rateText } from './RateDecks';

/** Which carriers a number would be routed to, in order: each carrier's longest matching prefix, cheapest first. */
export function RouteLookupPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Route lookup · ${portal.name} · DIDtron`);
  const [number, setNumber] = useState('');
  const [customer, setCustomer] = useState<string | null>(null);
  const [asked, setAsked] = useState<{ number: string; customer: string | null } | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);

  const lookup = useQuery({
    queryKey: ['routing', 'lookup', asked],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/routing/lookup', {
          params: { query: { number: asked!.number, ...(asked!.customer ? { customer: asked!.customer } : {}) } },
        }),
      ),
    enabled: asked !== null,
    retry: false,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = number.replace(/[\s().-]/g, '');
    if (!/^\+?\d{1,20}$/.test(n)) {
      setInputError('Enter the dialled number: digits, optionally starting with +');
      return;
    }
    setInputError(null);
    setAsked({ number: n, customer });
  }

  const candidates = lookup.data ?? [];
  return (
    <>
      <PageHeader title="Route lookup" description="Which carriers a number would be sent to, in routing order: each carrier’s longest matching prefix, cheapest first." />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="lg" component="form" onSubmit={submit} aria-label="Look up a number">
          <Group align="flex-start" gap="md" wrap="wrap">
            <TextInput
              label="Number"
              placeholder="+447700900123"
              withAsterisk
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              error={inputError}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              style={{ flex: '1 1 220px' }}
            />
            <CustomerSelect
              label="Customer"
              description="Optional: only carriers assigned to this customer."
              value={customer}
              onChange={setCustomer}
              clearable
              style={{ flex: '1 1 260px' }}
            />
            <Button type="submit" leftSection={<IconSearch size={16} />} mt={25} loading={lookup.isFetching}>
              Look up
            </Button>
          </Group>
        </Paper>
        {asked === null ? (
          <EmptyPanel icon={IconRoute} title="Look up a number" description="Enter a number (and a customer, if you like) to see the carriers it would be routed to." />
        ) : lookup.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="No lookup">
            {problemMessage(lookup.error)}
          </Alert>
        ) : lookup.isSuccess && candidates.length === 0 ? (
          <EmptyPanel
            icon={IconRoute}
            title="No route"
            description={
              <>
                No active carrier has a rate for <Code>{asked.number}</Code>
                {asked.customer ? ' among those assigned to this customer' : ''}.
              </>
            }
          />
        ) : (
          <Stack gap="xs">
            <DataTable
              {...tableLook}
              aria-label="Route candidates"
              idAccessor="carrier_id"
              records={candidates}
              fetching={lookup.isFetching}
              minHeight={candidates.length > 0 ? 0 : 150}
              columns={[
                { accessor: 'order', title: '#', width: 50, render: (_, i) => <Text size="sm" ff="monospace">{i + 1}</Text> },
                { accessor: 'carrier', title: 'Carrier' },
                { accessor: 'prefix', title: 'Prefix', render: (c) => <Code>{c.prefix}</Code> },
                { accessor: 'destination', title: 'Destination', render: (c) => c.destination || '—' },
                { accessor: 'rate', title: 'Rate/min', textAlign: 'right', render: (c) => <Text size="sm" ff="monospace">{rateText(c.rate_micro)}</Text> },
                { accessor: 'increments', title: 'Increments', render: (c) => <Text size="sm" ff="monospace">{c.increments}</Text> },
                { accessor: 'effective_from', title: 'Effective from', render: (c) => formatDate(c.effective_from) },
              ]}
            />
            {candidates.length > 0 && (
              <Text size="xs" c="dimmed">
                Calls try these carriers from the top; the next is used when one fails.
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </>
  );
}
