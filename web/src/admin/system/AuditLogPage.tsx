import '@mantine/dates/styles.layer.css';

import { Alert, Autocomplete, Badge, Button, Code, Group, Modal, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCalendar, IconChevronRight, IconClock, IconDownload, IconHistory } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { can } from '../../auth/permissions';
import { useMe } from '../../auth/useMe';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { PAGE_SIZE, tableLook } from '../../components/tables';
import { DiffTable } from '../../config/DiffTable';
import { diffValues } from '../../config/diff';
import { useScopeDirectory } from '../../config/directory';
import { paginationText } from '../../config/pagination';
import { formatDateTime } from '../../lib/format';
import type { Portal } from '../../shell/nav';
import { adminKinds } from '../kinds';

type AuditEntry = components['schemas']['AuditEntry'];

const retentionKey = ['audit', 'retention'] as const;

/** The day after a YYYY-MM-DD date: the API's `to` is exclusive, the screen's is inclusive. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function short(id: string | null | undefined) {
  if (!id) return '';
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** What changed in one entry, field by field. */
function EntryDiff({ entry }: { entry: AuditEntry }) {
  const { nameOf } = useScopeDirectory();
  const def = adminKinds.find((k) => k.kind === entry.target_kind);
  const diff = diffValues(entry.old_values, entry.new_values);
  const before = (entry.old_values ?? null) as Record<string, unknown> | null;
  const after = (entry.new_values ?? null) as Record<string, unknown> | null;
  return (
    <Stack gap="xs" p="md" bg="var(--didtron-page-bg)">
      <Group gap="lg" wrap="wrap">
        <Text size="xs" c="dimmed">
          Entry <Code>{entry.id}</Code>
        </Text>
        {entry.target_id && (
          <Text size="xs" c="dimmed">
            Target <Code>{entry.target_id}</Code>
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Actor <Code>{entry.actor_id}</Code>
        </Text>
      </Group>
      {diff.length === 0 ? (
        <Text size="sm" c="dimmed">
          No values were recorded for this action.
        </Text>
      ) : (
        <DiffTable
          def={def}
          diff={diff}
          ctx={{ record: typeof after === 'object' ? after : null, nameOf }}
          beforeCtx={{ record: typeof before === 'object' ? before : null, nameOf }}
          only={entry.old_values == null ? 'after' : entry.new_values == null ? 'before' : undefined}
        />
      )}
    </Stack>
  );
}

function RetentionModal({ days, onClose }: { days: number; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState<number | string>(days);
  const save = useMutation({
    mutationFn: async (d: number) => unwrap(await api.PUT('/api/v1/admin/audit/retention', { body: { days: d } })),
    onSuccess: (r) => {
      queryClient.setQueryData(retentionKey, r);
      notifications.show({ color: 'green', message: `Audit entries are now kept for ${r.days} days` });
      onClose();
    },
  });
  const n = typeof value === 'number' ? value : Number.NaN;
  const problem = !Number.isInteger(n) || n < 30 || n > 3650 ? 'Must be a whole number of days between 30 and 3650' : null;
  return (
    <Modal opened onClose={onClose} title="Audit log retention" centered>
      <Stack gap="md">
        <NumberInput
          label="Keep entries for"
          description="Older entries are deleted by the nightly job. 30 days to 10 years."
          rightSection={<Text size="xs" c="dimmed" pr={8}>days</Text>}
          rightSectionWidth={48}
          min={30}
          max={3650}
          allowDecimal={false}
          value={value}
          onChange={setValue}
          error={value !== '' && problem}
          data-autofocus
        />
        {save.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {problemMessage(save.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => save.mutate(n)} disabled={!!problem} loading={save.isPending}>
            Save retention
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Every write by anyone: who, what, when, from where, with the values before and after. */
export function AuditLogPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Audit log · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const [filters, setFilters] = useState({ actor: '', action: '', target_kind: '', target_id: '' });
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [debounced] = useDebouncedValue(filters, 300);
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [editingRetention, setEditingRetention] = useState(false);

  const query = {
    actor: debounced.actor.trim() || undefined,
    action: debounced.action.trim() || undefined,
    target_kind: debounced.target_kind.trim() || undefined,
    target_id: debounced.target_id.trim() || undefined,
    from: from ?? undefined,
    to: to ? dayAfter(to) : undefined,
  };
  const entries = useQuery({
    queryKey: ['audit', query, page],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/audit', { params: { query: { ...query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const retention = useQuery({ queryKey: retentionKey, queryFn: async () => unwrap(await api.GET('/api/v1/admin/audit/retention')) });

  const exportParams = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  const exportHref = `/api/v1/admin/audit/export.csv${exportParams.size > 0 ? `?${exportParams}` : ''}`;
  const set = (key: keyof typeof filters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPage(1);
  };
  const filtering = Object.values(query).some(Boolean);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change: who made it, what changed, and when. Searchable and exportable."
        actions={
          <>
            {retention.data &&
              (can(me, 'system.manage') ? (
                <Button variant="default" leftSection={<IconClock size={16} />} onClick={() => setEditingRetention(true)}>
                  Kept {retention.data.days} days
                </Button>
              ) : (
                <Text size="sm" c="dimmed">
                  Kept {retention.data.days} days
                </Text>
              ))}
            <Button component="a" href={exportHref} download variant="default" leftSection={<IconDownload size={16} />}>
              Export CSV
            </Button>
          </>
        }
      />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} spacing="sm">
          <TextInput label="Actor" placeholder="E-mail or id" value={filters.actor} onChange={(e) => set('actor')(e.currentTarget.value)} />
          <TextInput
            label="Action"
            placeholder="pop.update, or pop. for all"
            title="End with a dot for every action of a kind, e.g. pop."
            value={filters.action}
            onChange={(e) => set('action')(e.currentTarget.value)}
          />
          <Autocomplete
            label="Target kind"
            placeholder="pop, category, user…"
            data={adminKinds.map((k) => k.kind)}
            value={filters.target_kind}
            onChange={set('target_kind')}
          />
          <TextInput label="Target id" value={filters.target_id} onChange={(e) => set('target_id')(e.currentTarget.value)} />
          <DatePickerInput
            label="From"
            placeholder="Any day"
            value={from}
            onChange={(v) => {
              setFrom(v);
              setPage(1);
            }}
            clearable
            leftSection={<IconCalendar size={16} />}
            valueFormat="D MMM YYYY"
            maxDate={to ?? undefined}
          />
          <DatePickerInput
            label="To"
            placeholder="Any day"
            value={to}
            onChange={(v) => {
              setTo(v);
              setPage(1);
            }}
            clearable
            leftSection={<IconCalendar size={16} />}
            valueFormat="D MMM YYYY"
            minDate={from ?? undefined}
          />
        </SimpleGrid>
        <QueryView
          query={entries}
          columns={5}
          isEmpty={(d) => d.total === 0 && !filtering}
          empty={<EmptyPanel icon={IconHistory} description="Changes are recorded here from the moment anything is edited." />}
        >
          {(data) => (
            <DataTable
              {...tableLook}
              aria-label="Audit entries"
              records={data.items}
              fetching={entries.isFetching && entries.isPlaceholderData}
              totalRecords={data.total}
              recordsPerPage={PAGE_SIZE}
              page={page}
              onPageChange={setPage}
              paginationText={paginationText}
              noRecordsText="No entry matches these filters"
              minHeight={data.items.length === 0 ? 160 : 0}
              rowExpansion={{
                allowMultiple: true,
                expanded: { recordIds: expanded, onRecordIdsChange: setExpanded },
                content: ({ record }) => <EntryDiff entry={record} />,
              }}
              columns={[
                {
                  accessor: 'expand',
                  title: '',
                  width: 36,
                  render: (e) => (
                    <IconChevronRight
                      size={14}
                      aria-hidden
                      style={{ transform: expanded.includes(e.id) ? 'rotate(90deg)' : undefined, transition: 'transform 120ms' }}
                    />
                  ),
                },
                { accessor: 'created_at', title: 'When', render: (e) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.created_at)}</Text> },
                {
                  accessor: 'actor',
                  title: 'Who',
                  render: (e) => (
                    <Stack gap={0}>
                      <Text size="sm">{e.actor_email ?? (e.actor_kind === 'system' ? 'DIDtron' : short(e.actor_id))}</Text>
                      {e.actor_kind !== 'user' && (
                        <Text size="xs" c="dimmed">
                          {e.actor_kind.replace(/_/g, ' ')}
                        </Text>
                      )}
                    </Stack>
                  ),
                },
                { accessor: 'action', title: 'Action', render: (e) => <Code>{e.action}</Code> },
                {
                  accessor: 'target',
                  title: 'Target',
                  render: (e) => {
                    const values = (e.new_values ?? e.old_values) as Record<string, unknown> | null;
                    const name = values && typeof values === 'object' && typeof values.name === 'string' ? values.name : null;
                    return (
                      <Group gap={6} wrap="nowrap">
                        <Badge color="gray" tt="none" fw={500}>
                          {e.target_kind}
                        </Badge>
                        <Text size="sm" truncate>
                          {name ?? short(e.target_id)}
                        </Text>
                      </Group>
                    );
                  },
                },
                { accessor: 'ip', title: 'IP', render: (e) => <Text size="sm" ff="monospace">{e.ip || '—'}</Text> },
              ]}
            />
          )}
        </QueryView>
      </Stack>
      {editingRetention && retention.data && <RetentionModal days={retention.data.days} onClose={() => setEditingRetention(false)} />}
    </>
  );
}
