import { Alert, Badge, Group, Loader, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconFileSpreadsheet } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { problemMessage, sentence, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { EmptyPanel } from '../../components/EmptyPanel';
import { tableLook } from '../../components/tables';
import { usePeople } from '../../config/directory';
import { paginationText } from '../../config/pagination';
import { formatDateTime } from '../../lib/format';
import { deckProgress, isPending, type Mapping } from './deckFile';
import { type ImportReport, RateImport, readQuery, readReport, RowErrors, type RowError, type SendOptions } from './RateImport';
import { RatesTable } from './RatesTable';

export { rateText } from './RatesTable';

type RateDeck = components['schemas']['RateDeck'];

const decksKey = (id: string) => ['rate-decks', id] as const;
const HISTORY_PAGE = 10;

const deckStatus: Record<string, { color: string; label: string }> = {
  active: { color: 'green', label: 'In force' },
  superseded: { color: 'gray', label: 'Superseded' },
  rejected: { color: 'red', label: 'Rejected' },
  queued: { color: 'sky', label: 'Queued' },
  importing: { color: 'sky', label: 'Importing' },
};

/** A carrier's rate decks: the import wizard, the deck history and the rates in force. */
export function RateDecks({ carrierId, canWrite }: { carrierId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  return (
    <Stack gap="lg">
      {canWrite && (
        <RateImport
          title="Import a rate deck"
          intro="CSV, Excel (.xlsx, .xls) or OpenDocument (.ods). All or nothing: one bad row rejects the whole file and the deck in force stays."
          fileLabel="Rate deck file"
          storedText="they are now in force"
          send={(file, mapping, options) => sendDeck(carrierId, file, mapping, options)}
          onImported={(report) => {
            void queryClient.invalidateQueries({ queryKey: decksKey(carrierId) });
            if (report.status === 'active') notifications.show({ color: 'green', message: `Rate deck imported: ${report.rows.toLocaleString()} rates` });
            if (report.status === 'queued') notifications.show({ color: 'sky', message: 'Rate deck queued for import' });
          }}
          queued={(report) => <QueuedDeck carrierId={carrierId} deckId={report.deck_id} />}
        />
      )}
      <DeckHistory carrierId={carrierId} />
      <RatesTable
        title="Rates in force"
        queryKey={decksKey(carrierId)}
        load={async (query) => unwrap(await api.GET('/api/v1/carriers/{id}/rates', { params: { path: { id: carrierId }, query } }))}
        emptyTitle="No rates in force"
        empty="Rates appear here once a deck is imported."
      />
    </Stack>
  );
}

/** Sends the file; a rejected deck (422 with a report) comes back as a report, not an error. */
async function sendDeck(carrierId: string, file: File, mapping: Mapping | null, options: SendOptions): Promise<ImportReport> {
  const { dryRun, background } = options;
  const result = await api.POST('/api/v1/carriers/{id}/rate-decks', {
    params: {
      path: { id: carrierId },
      query: { filename: file.name, dry_run: dryRun, ...(background ? { background: true } : {}), ...(mapping ? { mapping: JSON.stringify(mapping) } : {}), ...readQuery(options) },
    },
    body: file as unknown as number[],
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  return readReport(result);
}

/**
 * The newest decks of a carrier; asked again every second while one of them
 * is still importing in the background (the job worker polls about as often).
 */
function useDecks(carrierId: string, page: number) {
  const query = { limit: HISTORY_PAGE, offset: (page - 1) * HISTORY_PAGE };
  return useQuery({
    queryKey: [...decksKey(carrierId), 'decks', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/carriers/{id}/rate-decks', { params: { path: { id: carrierId }, query } })),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some(isPending) ? 1000 : false),
  });
}

/** A deck being imported by the job queue: its phase, then how it ended. */
function QueuedDeck({ carrierId, deckId }: { carrierId: string; deckId: string }) {
  const queryClient = useQueryClient();
  const decks = useDecks(carrierId, 1);
  const deck = decks.data?.items.find((d) => d.id === deckId);
  const pending = deck ? isPending(deck) : true;
  const wasPending = useRef(true);
  // Once it ends, the rates in force (and the history) may have changed.
  useEffect(() => {
    if (deck && !pending && wasPending.current) {
      wasPending.current = false;
      void queryClient.invalidateQueries({ queryKey: decksKey(carrierId) });
      if (deck.status === 'active') notifications.show({ color: 'green', message: `Rate deck imported: ${deck.row_count.toLocaleString()} rates` });
    }
  }, [deck, pending, carrierId, queryClient]);

  if (!deck) {
    return decks.isError ? (
      <Alert color="red" variant="light">
        {problemMessage(decks.error)}
      </Alert>
    ) : (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">Queued…</Text>
      </Group>
    );
  }
  const progress = deckProgress(deck);
  if (deck.status === 'rejected') return <RowErrors report={deckErrors(deck)} title={`${deck.source} was rejected: nothing changed`} />;
  if (deck.status === 'active' || deck.status === 'superseded') {
    return (
      <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} data-testid="deck-result">
        Imported {deck.row_count.toLocaleString()} rates in the background; they are now in force.
      </Alert>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md" data-testid="deck-progress" aria-live="polite">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={500}>
            {progress.label}…
          </Text>
          <Text size="xs" c="dimmed">
            {deck.source}
          </Text>
        </Group>
        <Progress value={progress.value} striped animated aria-label={`Import of ${deck.source}`} />
        <Text size="xs" c="dimmed">
          You may leave this page: the import goes on, and its outcome shows in the deck history.
        </Text>
      </Stack>
    </Paper>
  );
}

function deckErrors(deck: RateDeck): { error_count: number; errors: RowError[] } {
  const r = deck.report as { errors?: RowError[]; error_count?: number };
  const errors = Array.isArray(r?.errors) ? r.errors : [];
  return { errors, error_count: typeof r?.error_count === 'number' ? r.error_count : errors.length };
}

function DeckStatus({ deck }: { deck: RateDeck }) {
  const s = deckStatus[deck.status] ?? { color: 'gray', label: sentence(deck.status) };
  if (!isPending(deck)) return <Badge color={s.color}>{s.label}</Badge>;
  const progress = deckProgress(deck);
  return (
    <Stack gap={4} w={150}>
      <Badge color={s.color} leftSection={<Loader size={10} color="sky" />}>
        {s.label}
      </Badge>
      <Progress value={progress.value} size="sm" striped animated aria-label={progress.label} />
    </Stack>
  );
}

function DeckHistory({ carrierId }: { carrierId: string }) {
  const personName = usePeople();
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const decks = useDecks(carrierId, page);
  const data = decks.data;
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Deck history
      </Title>
      {decks.isError ? (
        <Alert color="red" variant="light">
          {problemMessage(decks.error)}
        </Alert>
      ) : data && data.total === 0 ? (
        <EmptyPanel compact icon={IconFileSpreadsheet} title="No rate deck yet" description="Import the carrier’s rate deck to route calls through it." />
      ) : (
        <DataTable
          {...tableLook}
          aria-label="Deck history"
          idAccessor="id"
          records={data?.items ?? []}
          fetching={decks.isFetching && decks.isPlaceholderData}
          minHeight={data && data.items.length > 0 ? 0 : 120}
          columns={[
            { accessor: 'source', title: 'File', render: (d) => <Text size="sm">{d.source}</Text> },
            { accessor: 'status', title: 'Status', width: 170, render: (d) => <DeckStatus deck={d} /> },
            {
              accessor: 'row_count',
              title: 'Rows',
              textAlign: 'right',
              render: (d) => (
                <Text size="sm" ff="monospace" c={isPending(d) ? 'dimmed' : undefined}>
                  {isPending(d) ? (d.processed > 0 ? d.processed.toLocaleString() : '…') : d.row_count.toLocaleString()}
                </Text>
              ),
            },
            { accessor: 'created_at', title: 'When', render: (d) => <span title={formatDateTime(d.created_at)}>{formatDateTime(d.created_at)}</span> },
            { accessor: 'created_by', title: 'Who', render: (d) => personName(d.created_by ?? null) },
          ]}
          rowExpansion={{
            allowMultiple: true,
            expandable: ({ record }) => record.status === 'rejected',
            expanded: { recordIds: expanded, onRecordIdsChange: setExpanded },
            content: ({ record }) => (
              <Stack p="sm">
                <RowErrors report={deckErrors(record)} title={`Report of ${record.source}`} />
              </Stack>
            ),
          }}
          totalRecords={data?.total ?? 0}
          recordsPerPage={HISTORY_PAGE}
          page={page}
          onPageChange={setPage}
          paginationText={paginationText}
          noRecordsText="No deck"
        />
      )}
      {data && data.items.some((d) => d.status === 'rejected') && (
        <Text size="xs" c="dimmed">
          Click a rejected deck to see its report.
        </Text>
      )}
    </Stack>
  );
}
