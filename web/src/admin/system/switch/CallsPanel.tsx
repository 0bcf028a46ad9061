import { Badge, Stack, Switch, Text } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { sentence } from '../../../api/problem';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { QueryView } from '../../../components/QueryView';
import { PAGE_SIZE, tableLook } from '../../../components/tables';
import { paginationText } from '../../../config/pagination';
import { listCalls, switchKeys } from './api';
import { ExpandButton, Expansion } from './Expansion';
import { CallDetail, CallLine, CallStatusBadge } from './CallDetail';
import { purposeLook } from './sync';
import { wholeBadge } from './SyncBadge';
import { When } from './When';

/** The operations log: every call made to the switch, newest first, each opening to its JSON. */
export function CallsPanel({ poll }: { poll: number | false }) {
  const [failedOnly, setFailedOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const filter = { failed: failedOnly || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const calls = useQuery({
    queryKey: switchKeys.calls(filter),
    queryFn: () => listCalls(filter),
    placeholderData: keepPreviousData,
    refetchInterval: poll,
  });

  return (
    <Stack gap="md">
      <Switch
        label="Failed calls only"
        checked={failedOnly}
        onChange={(e) => {
          setFailedOnly(e.currentTarget.checked);
          setPage(1);
          setExpanded([]);
        }}
      />
      <QueryView
        query={calls}
        columns={6}
        isEmpty={(d) => d.total === 0}
        empty={
          <EmptyPanel
            compact
            icon={IconArrowsExchange}
            title={failedOnly ? 'No failed calls' : 'No calls yet'}
            description={
              failedOnly ? 'Every call to the switch got an answer it accepted.' : 'Pushes, rollbacks, reconciliations and connection tests log each call to the switch here.'
            }
          />
        }
      >
        {(data) => (
          <DataTable
            {...tableLook}
            aria-label="Calls to the switch"
            records={data.items}
            fetching={calls.isFetching && calls.isPlaceholderData}
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
                  <CallDetail call={record} withHeader={false} />
                </Expansion>
              ),
            }}
            columns={[
              { accessor: 'expand', title: '', width: 44, render: (c) => <ExpandButton open={expanded.includes(c.id)} label="request and response" /> },
              { accessor: 'created_at', title: 'Time', render: (c) => <When at={c.created_at} /> },
              {
                accessor: 'purpose',
                title: 'For',
                render: (c) => {
                  const look = purposeLook(c.purpose);
                  return (
                    <Badge color={look.color} variant="light" styles={wholeBadge}>
                      {look.label}
                    </Badge>
                  );
                },
              },
              { accessor: 'path', title: 'Call', render: (c) => <CallLine method={c.method} path={c.path} /> },
              { accessor: 'status', title: 'Answer', render: (c) => <CallStatusBadge call={c} /> },
              {
                accessor: 'millis',
                title: 'Time taken',
                textAlign: 'right',
                render: (c) => (
                  <Text size="sm" ff="monospace">
                    {c.millis} ms
                  </Text>
                ),
              },
              {
                accessor: 'attempt',
                title: 'Attempt',
                textAlign: 'right',
                render: (c) => <Text size="sm">{c.attempt}</Text>,
              },
              {
                accessor: 'error',
                title: 'Error',
                render: (c) =>
                  c.error ? (
                    <Text size="sm" c="red" lineClamp={1} maw={260} title={c.error} style={{ whiteSpace: 'normal' }}>
                      {sentence(c.error)}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
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
