import { Alert, Code, Stack, Text } from '@mantine/core';
import { IconInfoCircle, IconWebhook } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { QueryView } from '../../../components/QueryView';
import { PAGE_SIZE, tableLook } from '../../../components/tables';
import { paginationText } from '../../../config/pagination';
import { listWebhooks, switchKeys } from './api';
import { ExpandButton, Expansion } from './Expansion';
import { JsonBlock } from './JsonBlock';
import { payloadLine } from './sync';
import { When } from './When';

const INBOUND = '/api/v1/switch/webhooks/inbound';

/** Webhooks the switch sent (registrations, balance changes…), newest first, each with its payload. */
export function WebhooksPanel({ enabled }: { enabled: boolean | undefined }) {
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const params = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const webhooks = useQuery({
    queryKey: switchKeys.webhooks(params),
    queryFn: () => listWebhooks(params),
    placeholderData: keepPreviousData,
    // Webhooks arrive on their own time; a slow refresh keeps the list current while it is open.
    refetchInterval: enabled ? 15_000 : false,
  });

  return (
    <Stack gap="md">
      {enabled === false ? (
        <Alert color="sky" variant="light" icon={<IconInfoCircle size={18} />} title="Webhooks from the switch are off">
          Set <Code>switch_webhook_secret</Code> (or <Code>DIDTRON_SWITCH_WEBHOOK_SECRET</Code>) and point the switch at <Code>{INBOUND}</Code> with that secret in the{' '}
          <Code>X-Webhook-Secret</Code> header.
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          The switch calls <Code>{INBOUND}</Code> with the shared secret; each webhook becomes the event <Code>switch.&lt;event&gt;</Code> for automations.
        </Text>
      )}
      <QueryView
        query={webhooks}
        columns={4}
        isEmpty={(d) => d.total === 0}
        empty={
          <EmptyPanel
            compact
            icon={IconWebhook}
            title="No webhooks yet"
            description={enabled ? 'Registrations, balance changes and other events the switch sends appear here.' : 'Turn webhooks on to receive the switch’s events here.'}
          />
        }
      >
        {(data) => (
          <DataTable
            {...tableLook}
            aria-label="Webhooks"
            records={data.items}
            fetching={webhooks.isFetching && webhooks.isPlaceholderData}
            totalRecords={data.total}
            recordsPerPage={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            paginationText={paginationText}
            rowStyle={() => ({ cursor: 'pointer' })}
            rowExpansion={{
              allowMultiple: true,
              expanded: { recordIds: expanded, onRecordIdsChange: setExpanded },
              content: ({ record }) => (
                <Expansion>
                  <JsonBlock label="Payload" value={record.payload} defaultOpen />
                  <Text size="xs" c="dimmed">
                    Webhook <Code>{record.id}</Code>
                  </Text>
                </Expansion>
              ),
            }}
            columns={[
              { accessor: 'expand', title: '', width: 44, render: (w) => <ExpandButton open={expanded.includes(w.id)} label="payload" /> },
              { accessor: 'created_at', title: 'Received', render: (w) => <When at={w.created_at} /> },
              { accessor: 'event', title: 'Event', render: (w) => <Code>switch.{w.event}</Code> },
              {
                accessor: 'ip',
                title: 'From',
                render: (w) => (
                  <Text size="sm" ff="monospace">
                    {w.ip}
                  </Text>
                ),
              },
              {
                accessor: 'payload',
                title: 'Payload',
                render: (w) => (
                  <Text size="sm" ff="monospace" c="dimmed" truncate maw={460}>
                    {payloadLine(w.payload) || '—'}
                  </Text>
                ),
              },
            ]}
          />
        )}
      </QueryView>
    </Stack>
  );
}
