import { Alert, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconReceiptDollar, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, type QueryKey, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { problemMessage } from '../../api/problem';
import type { components } from '../../api/schema';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PAGE_SIZE, tableLook } from '../../components/tables';
import { microToDecimal } from '../../config/money';
import { paginationText } from '../../config/pagination';
import { formatDate } from '../../lib/format';

export type Rate = components['schemas']['Rate'];
export type RatePage = components['schemas']['Page_Rate'];

export interface RateQuery {
  q?: string;
  limit: number;
  offset: number;
}

/** A rate in micro-units per minute as a decimal with at least 4 places ("0.0125"). */
export function rateText(micro: number): string {
  return microToDecimal(micro, 4);
}

interface RatesTableProps {
  title: string;
  /** The cache key of these rates; the search and page are appended. */
  queryKey: QueryKey;
  load: (query: RateQuery) => Promise<RatePage>;
  /** The empty state: its title and how rates get here. */
  emptyTitle: string;
  empty: string;
}

/** Rates by prefix, searchable by the start of a prefix or part of a destination, a page at a time. */
export function RatesTable({ title, queryKey, load, emptyTitle, empty }: RatesTableProps) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [page, setPage] = useState(1);
  const query: RateQuery = { q: q.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const rates = useQuery({
    queryKey: [...queryKey, 'rates', query],
    queryFn: () => load(query),
    placeholderData: keepPreviousData,
  });
  const data = rates.data;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={3} size="h5">
          {title} {data ? <Text span c="dimmed" size="sm">({data.total.toLocaleString()})</Text> : null}
        </Title>
        <TextInput
          aria-label="Search rates"
          placeholder="Prefix or destination"
          leftSection={<IconSearch size={14} />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
          w={220}
        />
      </Group>
      {rates.isError ? (
        <Alert color="red" variant="light">
          {problemMessage(rates.error)}
        </Alert>
      ) : data && data.total === 0 && !q ? (
        <EmptyPanel compact icon={IconReceiptDollar} title={emptyTitle} description={empty} />
      ) : (
        <DataTable
          {...tableLook}
          aria-label="Rates"
          idAccessor={(r) => `${r.prefix}@${r.effective_from}`}
          records={data?.items ?? []}
          fetching={rates.isFetching}
          minHeight={data && data.items.length > 0 ? 0 : 150}
          columns={[
            { accessor: 'prefix', title: 'Prefix', render: (r) => <Code>{r.prefix}</Code> },
            { accessor: 'destination', title: 'Destination', render: (r) => r.destination || '—' },
            { accessor: 'rate', title: 'Rate/min', textAlign: 'right', render: (r) => <Text size="sm" ff="monospace">{rateText(r.rate_micro)}</Text> },
            { accessor: 'connection_fee', title: 'Connection', textAlign: 'right', render: (r) => <Text size="sm" ff="monospace">{rateText(r.connection_fee_micro)}</Text> },
            { accessor: 'initial_increment', title: 'Increments', render: (r) => <Text size="sm" ff="monospace">{`${r.initial_increment}/${r.subsequent_increment}`}</Text> },
            { accessor: 'effective_from', title: 'Effective from', render: (r) => formatDate(r.effective_from) },
          ]}
          totalRecords={data?.total ?? 0}
          recordsPerPage={PAGE_SIZE}
          page={page}
          onPageChange={setPage}
          paginationText={paginationText}
          noRecordsText="No rate matches"
        />
      )}
    </Stack>
  );
}
