import '@mantine/dates/styles.layer.css';

import { Alert, Anchor, Badge, Button, Code, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useDocumentTitle } from '@mantine/hooks';
import type { Icon } from '@tabler/icons-react';
import { IconAlertCircle, IconCalendar, IconReceiptDollar, IconRoute, IconRoute2, IconScale, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { problemMessage, sentence, unwrap } from '../../api/problem';
import { EmptyPanel } from '../../components/EmptyPanel';
import { tableLook } from '../../components/tables';
import { PageHeader } from '../../components/PageHeader';
import { CustomerSelect } from '../../config/CustomerSelect';
import { useAllRecords } from '../../config/directory';
import { recordTitle } from '../../config/kind';
import { formatDate, formatDateTime } from '../../lib/format';
import type { Portal } from '../../shell/nav';
import { dialledNumber, explainQuery, type LookupInput, marginTone, type RouteCandidate, type RoutePlan } from './lookup';
import { rateText } from './RatesTable';
import { orderLabel } from './routeGroupMembers';

/**
 * Which carriers a call would be sent to, in order, with buy rate, sell rate
 * and margin, and what decided it: the LCR profile, the customer's rate card
 * and the route that matched, and the carriers left out with the reason.
 */
export function RouteLookupPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Route lookup · ${portal.name} · DIDtron`);
  const tiers = useAllRecords('voice_tier');
  const [number, setNumber] = useState('');
  const [customer, setCustomer] = useState<string | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [at, setAt] = useState<string | null>(null);
  const [asked, setAsked] = useState<LookupInput | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);

  const plan = useQuery({
    queryKey: ['routing', 'explain', asked],
    queryFn: async () => unwrap(await api.GET('/api/v1/routing/explain', { params: { query: explainQuery(asked!) } })),
    enabled: asked !== null,
    retry: false,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = dialledNumber(number);
    if (!n) {
      setInputError('Enter the dialled number: digits, optionally starting with +');
      return;
    }
    setInputError(null);
    const next = { number: n, customer, tier, at };
    // The same question again asks the server again: configuration may have changed since.
    if (JSON.stringify(next) === JSON.stringify(asked)) void plan.refetch();
    else setAsked(next);
  }

  return (
    <>
      <PageHeader
        title="Route lookup"
        description="Which carriers a call would be sent to, in order, at what margin, and which LCR profile, rate card and route decided it."
      />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="lg" component="form" onSubmit={submit} aria-label="Look up a number">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="Number"
              placeholder="+447700900123"
              withAsterisk
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              error={inputError}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <CustomerSelect label="Customer" placeholder="Any customer" value={customer} onChange={setCustomer} clearable />
            <Select
              label="Voice tier"
              placeholder="Any tier"
              data={(tiers.data?.items ?? []).map((t) => ({ value: t.id, label: `${recordTitle({}, t)} (${String(t.code)})` }))}
              value={tier}
              onChange={setTier}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <DateTimePicker
              label="At"
              placeholder="Now"
              value={at}
              onChange={(v) => setAt(v)}
              clearable
              valueFormat="D MMM YYYY HH:mm"
              leftSection={<IconCalendar size={16} />}
              popoverProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <Group justify="space-between" mt="md" gap="sm" wrap="wrap">
            <Text size="xs" c="dimmed">
              A customer brings their carriers, rate card, LCR profile and routes; without one only what is assigned to all customers applies.
            </Text>
            <Button type="submit" leftSection={<IconSearch size={16} />} loading={plan.isFetching}>
              Look up
            </Button>
          </Group>
        </Paper>
        {asked === null ? (
          <EmptyPanel icon={IconRoute} title="Look up a number" description="Enter a number (and a customer, tier or moment, if you like) to see the carriers it would be routed to and why." />
        ) : plan.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="No lookup">
            {problemMessage(plan.error)}
          </Alert>
        ) : plan.data ? (
          <PlanView plan={plan.data} asked={asked} portal={portal} fetching={plan.isFetching} />
        ) : null}
      </Stack>
    </>
  );
}

function PlanView({ plan, asked, portal, fetching }: { plan: RoutePlan; asked: LookupInput; portal: Portal; fetching: boolean }) {
  const candidates = plan.candidates;
  const link = (path: string) => `${portal.basePath}/routing/${path}`;
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" aria-label="What decided the order">
        <Decider
          icon={IconScale}
          title="LCR profile"
          used={plan.profile}
          to={link('lcr-profiles')}
          fallback="None: cheapest first, never at a loss"
        />
        <Decider
          icon={IconReceiptDollar}
          title="Rate card"
          used={plan.rate_card}
          to={`${link('rate-cards')}?tab=customer`}
          fallback={asked.customer ? 'None reaches this customer: no sell rate, no margin check' : 'None for all customers: no sell rate, no margin check'}
        />
        <Decider icon={IconRoute2} title="Route" used={plan.route} to={link('routes')} fallback="None matched: carriers in the profile’s order" />
      </SimpleGrid>

      {candidates.length === 0 ? (
        <EmptyPanel
          icon={IconRoute}
          title="No route"
          description={
            plan.excluded.length > 0 ? (
              <>
                Every carrier with a rate for <Code>{plan.number}</Code> was left out; see why below.
              </>
            ) : (
              <>
                No active carrier has a rate for <Code>{plan.number}</Code>
                {asked.customer ? ' among those this customer may use' : ''}.
              </>
            )
          }
        />
      ) : (
        <Stack gap="xs">
          <DataTable
            {...tableLook}
            aria-label="Route candidates"
            idAccessor="carrier_id"
            records={candidates}
            fetching={fetching}
            columns={[
              { accessor: 'order', title: '#', width: 50, render: (_, i) => <Text size="sm" ff="monospace">{i + 1}</Text> },
              { accessor: 'carrier', title: 'Carrier' },
              { accessor: 'prefix', title: 'Prefix', render: (c) => <Code>{c.prefix}</Code> },
              { accessor: 'destination', title: 'Destination', render: (c) => c.destination || '—' },
              {
                accessor: 'rate',
                title: 'Buy/min',
                textAlign: 'right',
                render: (c) => (
                  <Text size="sm" ff="monospace" title={`In force since ${formatDate(c.effective_from)}`}>
                    {rateText(c.rate_micro)}
                  </Text>
                ),
              },
              {
                accessor: 'sell_rate',
                title: 'Sell/min',
                textAlign: 'right',
                render: (c) => (
                  <Text size="sm" ff="monospace" c={c.sell_rate_micro == null ? 'dimmed' : undefined}>
                    {c.sell_rate_micro == null ? '—' : rateText(c.sell_rate_micro)}
                  </Text>
                ),
              },
              { accessor: 'margin', title: 'Margin/min', textAlign: 'right', render: (c) => <MarginCell candidate={c} /> },
              { accessor: 'route_order', title: 'Route', render: (c) => <RouteBadges candidate={c} /> },
              { accessor: 'increments', title: 'Increments', render: (c) => <Text size="sm" ff="monospace">{c.increments}</Text> },
            ]}
          />
          <Text size="xs" c="dimmed">
            Calls try these carriers from the top; the next is used when one fails. Routed at {formatDateTime(plan.at)}.
          </Text>
        </Stack>
      )}

      <Excluded plan={plan} />
    </Stack>
  );
}

/** One of the records that decided the order, or what applies without it. */
function Decider({ icon: DeciderIcon, title, used, to, fallback }: { icon: Icon; title: string; used?: { id: string; name: string } | null; to: string; fallback: string }) {
  return (
    <Paper withBorder p="sm" radius="lg" bg="var(--didtron-surface)">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <DeciderIcon size={20} stroke={1.6} style={{ color: 'var(--portal-accent-text)', flexShrink: 0, marginTop: 2 }} aria-hidden />
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {title}
          </Text>
          {used ? (
            <Anchor component={Link} to={to} size="sm" fw={600} data-testid={`decided-${title.toLowerCase().replace(/\s+/g, '-')}`}>
              {used.name}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed" data-testid={`decided-${title.toLowerCase().replace(/\s+/g, '-')}`}>
              {fallback}
            </Text>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}

function MarginCell({ candidate: c }: { candidate: RouteCandidate }) {
  const tone = marginTone(c);
  if (tone === 'none') {
    return (
      <Text size="sm" c="dimmed" ff="monospace">
        —
      </Text>
    );
  }
  const bad = tone === 'loss' || tone === 'below';
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      {c.below_margin && (
        <Badge color="red" size="sm">
          Below minimum
        </Badge>
      )}
      <Text size="sm" ff="monospace" c={bad ? 'red' : undefined} fw={bad ? 600 : undefined}>
        {c.margin_micro == null ? '—' : rateText(c.margin_micro)}
      </Text>
    </Group>
  );
}

function RouteBadges({ candidate: c }: { candidate: RouteCandidate }) {
  if (c.route_order == null) return null;
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={c.route_order === 1 ? 'blue' : 'gray'} variant="light" tt="none">
        {orderLabel(c.route_order)}
      </Badge>
      {c.share != null && c.share < 100 && (
        <Badge color="gray" variant="outline" tt="none">
          {c.share} %
        </Badge>
      )}
    </Group>
  );
}

function Excluded({ plan }: { plan: RoutePlan }) {
  if (plan.excluded.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-label="Excluded carriers">
      <Title order={2} size="h5">
        Excluded ({plan.excluded.length})
      </Title>
      <Paper withBorder radius="lg" bg="var(--didtron-surface)">
        <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Excluded">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="30%">Carrier</Table.Th>
              <Table.Th>Why it was left out</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.excluded.map((x) => (
              <Table.Tr key={x.carrier_id}>
                <Table.Td fw={500}>{x.carrier}</Table.Td>
                <Table.Td>{sentence(x.reason)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
