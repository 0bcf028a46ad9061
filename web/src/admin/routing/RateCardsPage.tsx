import { Alert, Button, Paper, Select, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconPlug } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useMe } from '../../auth/useMe';
import { can } from '../../auth/permissions';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { useAllRecords } from '../../config/directory';
import type { Portal } from '../../shell/nav';
import { RateDecks } from './RateDecks';
import { problemMessage } from '../../api/problem';
import { useState } from 'react';

/** Carrier rate decks by carrier: choose a carrier, then import, review history and browse its rates. */
export function RateCardsPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Rate cards · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const carriers = useAllRecords('carrier');
  const [chosen, setChosen] = useState<string | null>(null);
  const items = carriers.data?.items ?? [];
  const carrierId = chosen ?? (items.length === 1 ? items[0]!.id : null);
  return (
    <>
      <PageHeader title="Rate cards" description="Each carrier’s rate deck: import a new one, see earlier decks and browse the rates in force." />
      {carriers.isError ? (
        <Alert color="red" variant="light">
          {problemMessage(carriers.error)}
        </Alert>
      ) : carriers.isSuccess && items.length === 0 ? (
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
      ) : (
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
      )}
    </>
  );
}
