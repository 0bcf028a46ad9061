import { Alert, Badge, Button, Code, FileInput, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCircleCheck, IconFileSpreadsheet, IconReceiptDollar, IconSearch, IconUpload } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api } from '../../api/client';
import { ApiError, problemMessage, sentence, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PAGE_SIZE, tableLook } from '../../components/tables';
import { usePeople } from '../../config/directory';
import { microToDecimal } from '../../config/money';
import { paginationText } from '../../config/pagination';
import { formatDate, formatDateTime } from '../../lib/format';
import { CANONICAL, canonicalLabel, type Mapping, REQUIRED } from './deckFile';

type ImportReport = components['schemas']['ImportReport'];
type RowError = components['schemas']['RowError'];
type RateDeck = components['schemas']['RateDeck'];

const decksKey = (id: string) => ['rate-decks', id] as const;

const deckStatus: Record<string, { color: string; label: string }> = {
  active: { color: 'green', label: 'In force' },
  superseded: { color: 'gray', label: 'Superseded' },
  rejected: { color: 'red', label: 'Rejected' },
  queued: { color: 'sky', label: 'Queued' },
  importing: { color: 'sky', label: 'Importing' },
};

/** A rate in micro-units per minute as a decimal with at least 4 places ("0.0125"). */
export function rateText(micro: number): string {
  return microToDecimal(micro, 4);
}

/** A carrier's rate decks: the import wizard, the deck history and the rates in force. */
export function RateDecks({ carrierId, canWrite }: { carrierId: string; canWrite: boolean }) {
  return (
    <Stack gap="lg">
      {canWrite && <ImportWizard carrierId={carrierId} />}
      <DeckHistory carrierId={carrierId} />
      <RateList carrierId={carrierId} />
    </Stack>
  );
}

/** Sends the file; a rejected deck (422 with a report) comes back as a report, not an error. */
async function sendDeck(carrierId: string, file: File, mapping: Mapping | null, dryRun: boolean): Promise<ImportReport> {
  const result = await api.POST('/api/v1/carriers/{id}/rate-decks', {
    params: {
      path: { id: carrierId },
      query: { filename: file.name, dry_run: dryRun, ...(mapping ? { mapping: JSON.stringify(mapping) } : {}) },
    },
    body: file as unknown as number[],
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  const body = result.error as Partial<ImportReport> | undefined;
  if (result.response.status === 422 && body && body.status === 'rejected' && Array.isArray(body.errors)) return body as ImportReport;
  return unwrap(result);
}

function ImportWizard({ carrierId }: { carrierId: string }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[] | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [check, setCheck] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);

  async function run(dryRun: boolean, f: File | null = file, m: Mapping | null = headers ? mapping : null) {
    if (!f) return;
    setError(null);
    setBusy(dryRun ? 'check' : 'import');
    try {
      const report = await sendDeck(carrierId, f, m, dryRun);
      // The server reads the file's headers and says which column it takes for each field;
      // the selects start from that and a person corrects it.
      if (report.headers.length > 0) {
        setHeaders(report.headers);
        if (!m) setMapping(report.mapping as Mapping);
      }
      if (dryRun) setCheck(report);
      else {
        setResult(report);
        setCheck(null);
        void queryClient.invalidateQueries({ queryKey: decksKey(carrierId) });
        if (report.status === 'active') notifications.show({ color: 'green', message: `Rate deck imported: ${report.rows.toLocaleString()} rates` });
      }
    } catch (e) {
      setCheck(null);
      setError(e instanceof ApiError && e.fields.length > 0 ? e.fields.map((p) => sentence(p.message)).join(' ') : problemMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function choose(f: File | null) {
    setFile(f);
    setCheck(null);
    setResult(null);
    setError(null);
    setHeaders(null);
    if (!f) return;
    await run(true, f, null);
  }

  const missing = headers ? REQUIRED.filter((c) => !mapping[c]) : [];
  const rejected = check?.status === 'rejected';
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-label="Import a rate deck">
      <Stack gap="sm">
        <Title order={3} size="h5">
          Import a rate deck
        </Title>
        <Text size="sm" c="dimmed">
          CSV, Excel (.xlsx, .xls) or OpenDocument (.ods). All or nothing: one bad row rejects the whole file and the deck in force stays.
        </Text>
        <FileInput
          label="Rate deck file"
          placeholder="Choose a file"
          accept=".csv,.txt,.xlsx,.xls,.ods"
          leftSection={<IconFileSpreadsheet size={16} />}
          value={file}
          onChange={(f) => void choose(f)}
          clearable
        />
        {headers && (
          <Stack gap="xs" aria-label="Column mapping">
            <Text size="sm" fw={600}>
              Column mapping
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
              {CANONICAL.map((c) => (
                <Select
                  key={c}
                  label={canonicalLabel[c]}
                  withAsterisk={REQUIRED.includes(c)}
                  placeholder={REQUIRED.includes(c) ? 'Choose a column' : 'Not in the file'}
                  data={headers.filter((h) => h !== '').map((h) => ({ value: h, label: h }))}
                  value={mapping[c] ?? null}
                  onChange={(v) => {
                    setMapping((m) => {
                      const next = { ...m };
                      if (v) next[c] = v;
                      else delete next[c];
                      return next;
                    });
                    setCheck(null);
                  }}
                  clearable
                  size="xs"
                  comboboxProps={{ withinPortal: true }}
                />
              ))}
            </SimpleGrid>
          </Stack>
        )}
        {file && !headers && (
          <Text size="xs" c="dimmed">
            Columns of spreadsheets are recognised by the server from their headers.
          </Text>
        )}
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="The file cannot be read">
            {error}
          </Alert>
        )}
        {check && !rejected && (
          <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} data-testid="deck-check">
            Checked: {check.rows.toLocaleString()} rates, no errors. Import to put them in force.
          </Alert>
        )}
        {check && rejected && <RowErrors report={check} title="This file would be rejected" />}
        {result && result.status === 'active' && (
          <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} data-testid="deck-result">
            Imported {result.rows.toLocaleString()} rates in {result.millis.toLocaleString()} ms; they are now in force.
          </Alert>
        )}
        {result && result.status === 'rejected' && <RowErrors report={result} title="Rejected: nothing changed" />}
        {file && (
          <Group justify="flex-end" gap="sm">
            <Button variant="default" disabled={missing.length > 0} loading={busy === 'check'} onClick={() => void run(true)}>
              Check again
            </Button>
            <Button
              leftSection={<IconUpload size={16} />}
              disabled={!file || !check || rejected || missing.length > 0}
              loading={busy === 'import'}
              onClick={() => void run(false)}
            >
              Import
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function RowErrors({ report, title }: { report: { error_count: number; errors: RowError[]; rows?: number }; title: string }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} data-testid="deck-errors">
      <Text size="sm" mb="xs">
        {report.error_count.toLocaleString()} {report.error_count === 1 ? 'row has a problem' : 'rows have problems'}
        {report.errors.length < report.error_count ? ` (the first ${report.errors.length.toLocaleString()} are listed)` : ''}.
      </Text>
      <Table withRowBorders={false} verticalSpacing={2} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>Line</Table.Th>
            <Table.Th w={150}>Column</Table.Th>
            <Table.Th>Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.errors.slice(0, 50).map((e, i) => (
            <Table.Tr key={i}>
              <Table.Td ff="monospace">{e.line}</Table.Td>
              <Table.Td>{e.column}</Table.Td>
              <Table.Td>{sentence(e.message)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {report.errors.length > 50 && (
        <Text size="xs" mt="xs">
          and {(report.errors.length - 50).toLocaleString()} more
        </Text>
      )}
    </Alert>
  );
}

function deckErrors(deck: RateDeck): { error_count: number; errors: RowError[] } {
  const r = deck.report as { errors?: RowError[]; error_count?: number };
  const errors = Array.isArray(r?.errors) ? r.errors : [];
  return { errors, error_count: typeof r?.error_count === 'number' ? r.error_count : errors.length };
}

function DeckHistory({ carrierId }: { carrierId: string }) {
  const personName = usePeople();
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const query = { limit: 10, offset: (page - 1) * 10 };
  const decks = useQuery({
    queryKey: [...decksKey(carrierId), 'decks', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/carriers/{id}/rate-decks', { params: { path: { id: carrierId }, query } })),
    placeholderData: keepPreviousData,
  });
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
          fetching={decks.isFetching}
          minHeight={data && data.items.length > 0 ? 0 : 120}
          columns={[
            { accessor: 'source', title: 'File', render: (d) => <Text size="sm">{d.source}</Text> },
            {
              accessor: 'status',
              title: 'Status',
              width: 130,
              render: (d) => {
                const s = deckStatus[d.status] ?? { color: 'gray', label: sentence(d.status) };
                return <Badge color={s.color}>{s.label}</Badge>;
              },
            },
            { accessor: 'row_count', title: 'Rows', textAlign: 'right', render: (d) => <Text size="sm" ff="monospace">{d.row_count.toLocaleString()}</Text> },
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
          recordsPerPage={10}
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

function RateList({ carrierId }: { carrierId: string }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [page, setPage] = useState(1);
  const query = { q: q.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const rates = useQuery({
    queryKey: [...decksKey(carrierId), 'rates', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/carriers/{id}/rates', { params: { path: { id: carrierId }, query } })),
    placeholderData: keepPreviousData,
  });
  const data = rates.data;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={3} size="h5">
          Rates in force {data ? <Text span c="dimmed" size="sm">({data.total.toLocaleString()})</Text> : null}
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
        <EmptyPanel compact icon={IconReceiptDollar} title="No rates in force" description="Rates appear here once a deck is imported." />
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
            { accessor: 'rate', title: 'Rate/min', textAlign: 'right', render: (r) => <Text size="sm" ff="monospace">{rateText(r.rate)}</Text> },
            { accessor: 'connection_fee', title: 'Connection', textAlign: 'right', render: (r) => <Text size="sm" ff="monospace">{rateText(r.connection_fee)}</Text> },
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
