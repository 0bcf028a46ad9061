import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconHash, IconPlus, IconRefresh, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { ApiError, problemMessage, sentence, unwrap } from '../../api/problem';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PAGE_SIZE, tableLook } from '../../components/tables';
import type { ConfigRecord } from '../../config/kind';
import { paginationText } from '../../config/pagination';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format';
import { e164Problem, parseNumbers } from './numbers';

const inventoryKey = (id: string) => ['did-inventory', id] as const;

const numberStatus: Record<string, string> = { available: 'green', reserved: 'amber', assigned: 'sky', in_use: 'sky' };

/** A DID provider's inventory: its last sync, "Sync now", the numbers, and adding numbers to a local provider. */
export function DidInventory({ provider, canWrite }: { provider: ConfigRecord; canWrite: boolean }) {
  const countries = Array.isArray(provider.countries) ? provider.countries.map(String) : [];
  return (
    <Stack gap="lg">
      <SyncPanel providerId={provider.id} canWrite={canWrite} />
      {canWrite && provider.adapter === 'local' && <AddNumbers providerId={provider.id} countries={countries} />}
      <NumberList providerId={provider.id} countries={countries} />
    </Stack>
  );
}

function SyncPanel({ providerId, canWrite }: { providerId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  /** The last sync time seen when "Sync now" was pressed; polling stops when it moves on. */
  const [waitingSince, setWaitingSince] = useState<{ last: string | null; started: number } | null>(null);
  const status = useQuery({
    queryKey: [...inventoryKey(providerId), 'sync'],
    queryFn: async () => unwrap(await api.GET('/api/v1/did-providers/{id}/sync', { params: { path: { id: providerId } } })),
    refetchInterval: waitingSince ? 1000 : false,
  });
  const last = status.data?.last_sync_at ?? null;

  useEffect(() => {
    if (!waitingSince) return;
    const done = last !== waitingSince.last;
    const tooLong = Date.now() - waitingSince.started > 30_000;
    if (done || tooLong) {
      setWaitingSince(null);
      if (done) {
        void queryClient.invalidateQueries({ queryKey: inventoryKey(providerId) });
        notifications.show({
          color: status.data?.last_sync_status === 'failed' ? 'red' : 'green',
          message: status.data?.last_sync_status === 'failed' ? 'Sync failed' : 'Sync finished',
        });
      }
    }
  }, [last, waitingSince, providerId, queryClient, status.data?.last_sync_status]);

  const syncNow = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/did-providers/{id}/sync', { params: { path: { id: providerId } } })),
    onMutate: () => setWaitingSince({ last, started: Date.now() }),
    onError: (e) => {
      setWaitingSince(null);
      notifications.show({ color: 'red', title: 'Could not start a sync', message: problemMessage(e) });
    },
  });

  const s = status.data;
  const badge =
    s?.last_sync_status === 'ok' ? (
      <Badge color="green">Succeeded</Badge>
    ) : s?.last_sync_status === 'failed' ? (
      <Badge color="red">Failed</Badge>
    ) : (
      <Badge color="gray">Never synced</Badge>
    );
  return (
    <Paper withBorder p="md" radius="lg" aria-label="Last sync">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ flex: '1 1 260px' }}>
          <Group gap="xs">
            <Title order={3} size="h5">
              Last sync
            </Title>
            {badge}
          </Group>
          <Text size="sm" c="dimmed" title={formatDateTime(s?.last_sync_at)}>
            {s?.last_sync_at ? formatRelative(s.last_sync_at) : 'This provider has not been synced yet.'}
          </Text>
          {s?.last_sync_result && (
            <Text size="sm" data-testid="sync-result">
              {sentence(s.last_sync_result)}
            </Text>
          )}
        </Stack>
        {canWrite && (
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={() => syncNow.mutate()}
            loading={syncNow.isPending || waitingSince !== null}
          >
            Sync now
          </Button>
        )}
      </Group>
    </Paper>
  );
}

function AddNumbers({ providerId, countries }: { providerId: string; countries: string[] }) {
  const queryClient = useQueryClient();
  const [country, setCountry] = useState<string | null>(countries.length === 1 ? countries[0]! : null);
  const [area, setArea] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ country?: string; numbers?: string[]; form?: string }>({});

  const add = useMutation({
    mutationFn: async (numbers: string[]) =>
      unwrap(
        await api.POST('/api/v1/did-providers/{id}/inventory', {
          params: { path: { id: providerId } },
          body: { country: country ?? '', area: area.trim(), numbers },
        }),
      ),
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: `${r.added} ${r.added === 1 ? 'number' : 'numbers'} added` });
      setText('');
      setErrors({});
      void queryClient.invalidateQueries({ queryKey: inventoryKey(providerId) });
    },
    onError: (e) => {
      const entries = parseNumbers(text);
      if (e instanceof ApiError && e.fields.length > 0) {
        const next: typeof errors = {};
        for (const f of e.fields) {
          const m = /^numbers\[(\d+)\]$/.exec(f.field);
          if (m) (next.numbers ??= []).push(`Line ${entries[Number(m[1])]?.line ?? '?'}: ${f.message}`);
          else if (f.field === 'country') next.country = sentence(f.message);
          else (next.numbers ??= []).push(sentence(f.message));
        }
        setErrors(next);
      } else setErrors({ form: problemMessage(e) });
    },
  });

  function submit() {
    const entries = parseNumbers(text);
    const problems = entries.flatMap((e) => {
      const p = e164Problem(e.number);
      return p ? [`Line ${e.line}: ${p}`] : [];
    });
    const next: typeof errors = {};
    if (!country) next.country = 'Choose the country of these numbers';
    if (entries.length === 0) next.numbers = ['Paste at least one number'];
    else if (entries.length > 10_000) next.numbers = ['At most 10,000 numbers at once'];
    else if (problems.length > 0) next.numbers = problems;
    setErrors(next);
    if (Object.keys(next).length === 0) add.mutate(entries.map((e) => e.number));
  }

  const numberErrors = errors.numbers;
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-label="Add numbers">
      <Stack gap="sm">
        <Title order={3} size="h5">
          Add numbers
        </Title>
        <Text size="sm" c="dimmed">
          All or nothing: if one number is refused, none is added.
        </Text>
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label="Country"
            withAsterisk
            data={countries}
            value={country}
            onChange={setCountry}
            error={errors.country}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput label="Area" placeholder="New York" value={area} onChange={(e) => setArea(e.currentTarget.value)} maxLength={80} />
        </Group>
        <Textarea
          label="Numbers"
          description="E.164, one per line (commas also separate)."
          placeholder={'+12025550100\n+12025550101'}
          autosize
          minRows={4}
          maxRows={10}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={
            numberErrors && (
              <>
                {numberErrors.slice(0, 5).map((m) => (
                  <span key={m} style={{ display: 'block' }}>
                    {m}
                  </span>
                ))}
                {numberErrors.length > 5 && <span>and {numberErrors.length - 5} more</span>}
              </>
            )
          }
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {errors.form && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {errors.form}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button leftSection={<IconPlus size={16} />} onClick={submit} loading={add.isPending}>
            Add {parseNumbers(text).length || ''} {parseNumbers(text).length === 1 ? 'number' : 'numbers'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function NumberList({ providerId, countries }: { providerId: string; countries: string[] }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [country, setCountry] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const query = { q: q.replace(/[^\d]/g, '') || undefined, country: country ?? undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const numbers = useQuery({
    queryKey: [...inventoryKey(providerId), 'numbers', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/did-providers/{id}/inventory', { params: { path: { id: providerId }, query } })),
    placeholderData: keepPreviousData,
  });
  const data = numbers.data;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={3} size="h5">
          Numbers {data ? <Text span c="dimmed" size="sm">({data.total.toLocaleString()})</Text> : null}
        </Title>
        <Group gap="xs" wrap="wrap">
          <TextInput
            aria-label="Search numbers"
            placeholder="Digits"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            w={160}
          />
          <Select
            aria-label="Country"
            placeholder="Every country"
            data={countries}
            value={country}
            onChange={(v) => {
              setCountry(v);
              setPage(1);
            }}
            clearable
            w={150}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
      </Group>
      {numbers.isError ? (
        <Alert color="red" variant="light">
          {problemMessage(numbers.error)}
        </Alert>
      ) : data && data.total === 0 && !q && !country ? (
        <EmptyPanel compact icon={IconHash} title="No numbers yet" description="Add numbers above, or sync the provider to fetch its inventory." />
      ) : (
        <DataTable
          {...tableLook}
          aria-label="Inventory"
          records={data?.items ?? []}
          fetching={numbers.isFetching}
          minHeight={data && data.items.length > 0 ? 0 : 150}
          columns={[
            { accessor: 'number', title: 'Number', render: (n) => <Text ff="monospace" size="sm">{n.number}</Text> },
            { accessor: 'country', title: 'Country', width: 90 },
            { accessor: 'area', title: 'Area', render: (n) => n.area || '—' },
            { accessor: 'status', title: 'Status', render: (n) => <Badge color={numberStatus[n.status] ?? 'gray'}>{sentence(n.status.replace(/_/g, ' '))}</Badge> },
            { accessor: 'created_at', title: 'Added', render: (n) => formatDate(n.created_at) },
          ]}
          totalRecords={data?.total ?? 0}
          recordsPerPage={PAGE_SIZE}
          page={page}
          onPageChange={setPage}
          paginationText={paginationText}
          noRecordsText="No number matches"
        />
      )}
    </Stack>
  );
}
