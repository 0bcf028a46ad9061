import { Alert, Button, Paper, Select, Stack, Tabs } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconPlug, IconReceiptDollar } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { problemMessage } from '../../api/problem';
import { can } from '../../auth/permissions';
import { useMe } from '../../auth/useMe';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { ConfigList } from '../../config/ConfigList';
import { useAllRecords } from '../../config/directory';
import type { Portal } from '../../shell/nav';
import { rateCards } from './rateCards';
import { RateDecks } from './RateDecks';

type Tab = 'decks' | 'customer';

/**
 * Both sides of pricing: what carriers charge (their rate decks, by carrier)
 * and what customers pay (customer rate cards, derived with a margin or
 * uploaded). The tab is in the address (`?tab=customer`) so it can be linked.
 */
export function RateCardsPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Rate cards · ${portal.name} · DIDtron`);
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'customer' ? 'customer' : 'decks';
  return (
    <>
      <PageHeader
        title="Rate cards"
        description="What carriers charge you (their rate decks) and what customers pay (customer rate cards: carrier rates plus a margin, or uploaded rates)."
      />
      <Tabs
        value={tab}
        onChange={(v) => setParams(v === 'customer' ? { tab: 'customer' } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="decks" leftSection={<IconPlug size={16} />}>
            Carrier rate decks
          </Tabs.Tab>
          <Tabs.Tab value="customer" leftSection={<IconReceiptDollar size={16} />}>
            Customer rate cards
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="decks">
          <CarrierDecks portal={portal} />
        </Tabs.Panel>
        <Tabs.Panel value="customer">
          <ConfigList
            def={rateCards}
            heading="section"
            title="Customer rate cards"
            description="The price list each customer pays. The most specific card that reaches a customer applies; without one, calls have no sell rate and no margin check."
            icon={IconReceiptDollar}
            empty="Create a card such as “Retail: carrier rates + 20 %” and assign it to all customers, or upload a price list."
          />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** Carrier rate decks by carrier: choose a carrier, then import, review history and browse its rates. */
function CarrierDecks({ portal }: { portal: Portal }) {
  const { me } = useMe();
  const carriers = useAllRecords('carrier');
  const [chosen, setChosen] = useState<string | null>(null);
  const items = carriers.data?.items ?? [];
  const carrierId = chosen ?? (items.length === 1 ? items[0]!.id : null);
  if (carriers.isError) {
    return (
      <Alert color="red" variant="light">
        {problemMessage(carriers.error)}
      </Alert>
    );
  }
  if (carriers.isSuccess && items.length === 0) {
    return (
      <EmptyPanel
        icon={IconPlug}
        title="No carrier yet"
        description="Rate decks belong to a carrier. Add a carrier first."
        action={
          <Button component={Link} to={`${portal.basePath}/routing/carriers`}>
            Go to carriers
          </Button>
        }
      />
    );
  }
  return (
    <Stack gap="lg">
      <Paper withBorder p="md" radius="lg">
        <Select
          label="Carrier"
          placeholder="Choose a carrier"
          data={items.map((c) => ({ value: c.id, label: `${String(c.name)} (${String(c.code)})` }))}
          value={carrierId}
          onChange={setChosen}
          searchable
          maw={420}
          comboboxProps={{ withinPortal: true }}
        />
      </Paper>
      {carrierId ? (
        <RateDecks key={carrierId} carrierId={carrierId} canWrite={can(me, 'config.manage')} />
      ) : (
        <EmptyPanel icon={IconPlug} title="Choose a carrier" description="Pick a carrier above to see its rate decks and rates." />
      )}
    </Stack>
  );
}
