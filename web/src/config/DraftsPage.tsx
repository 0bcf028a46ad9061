import { Alert, Badge, Button, Group, Modal, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconFileText, IconSend, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { switchRoot } from '../admin/system/switch/api';
import { api } from '../api/client';
import { problemMessage, unwrap } from '../api/problem';
import { can } from '../auth/permissions';
import { useMe } from '../auth/useMe';
import { confirmDestructive } from '../components/confirm';
import { EmptyPanel } from '../components/EmptyPanel';
import { PageHeader } from '../components/PageHeader';
import { QueryView } from '../components/QueryView';
import { PAGE_SIZE, tableLook } from '../components/tables';
import { formatDateTime, formatRelative } from '../lib/format';
import type { Portal } from '../shell/nav';
import { configKeys, type Draft, getRecord, refreshConfiguration } from './api';
import { ChangePreview, operationLabel } from './ChangePreview';
import { usePeople, useScopeDirectory } from './directory';
import { capitalize, type KindDefinition, recordTitle } from './kind';
import { paginationText } from './pagination';

const statuses = [
  { value: 'draft', label: 'Open' },
  { value: 'pushed', label: 'Pushed' },
  { value: 'discarded', label: 'Discarded' },
];

/** The record a draft is about, by name: from the draft's own fields, else the stored record. */
function DraftRecord({ draft, def }: { draft: Draft; def?: KindDefinition }) {
  const fields = (draft.change?.fields ?? {}) as Record<string, unknown>;
  const own = typeof fields.name === 'string' && fields.name ? recordTitle(def ?? {}, fields) : null;
  const stored = useQuery({
    queryKey: configKeys.record(draft.record_kind, draft.record_id ?? ''),
    queryFn: () => getRecord(draft.record_kind, draft.record_id ?? ''),
    enabled: !own && !!draft.record_id && draft.operation !== 'create',
    retry: false,
    staleTime: 60_000,
  });
  const name = own ?? (stored.data ? recordTitle(def ?? {}, stored.data) : null);
  return (
    <Text size="sm" fw={500}>
      {name ?? (stored.isPending && stored.fetchStatus !== 'idle' ? '…' : 'A deleted record')}
    </Text>
  );
}

interface DraftsPageProps {
  portal: Portal;
  /** Every kind a draft may be about, for labels and formatting. */
  kinds: KindDefinition[];
}

/** Changes staged for review: open one to see what it would do now, then push or discard it. */
export function DraftsPage({ portal, kinds }: DraftsPageProps) {
  useDocumentTitle(`Drafts · ${portal.name} · DIDtron`);
  const [status, setStatus] = useState('draft');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Draft | null>(null);
  const personName = usePeople();
  const defOf = (kind: string) => kinds.find((k) => k.kind === kind);

  const drafts = useQuery({
    queryKey: configKeys.drafts(status, page),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/config/drafts', { params: { query: { status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title="Drafts"
        description="Configuration changes saved for later. Each one is previewed against the current state before it is pushed."
      />
      <Stack gap="md">
        <SegmentedControl
          aria-label="Draft status"
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          data={statuses}
          style={{ alignSelf: 'flex-start' }}
        />
        <QueryView
          query={drafts}
          columns={5}
          isEmpty={(d) => d.total === 0}
          empty={
            <EmptyPanel
              icon={IconFileText}
              title={status === 'draft' ? 'No open drafts' : `No ${status} drafts`}
              description="Choose “Save as draft” when reviewing a change to keep it here for later."
            />
          }
        >
          {(data) => (
            <DataTable
              {...tableLook}
              aria-label="Drafts"
              records={data.items}
              fetching={drafts.isFetching && drafts.isPlaceholderData}
              totalRecords={data.total}
              recordsPerPage={PAGE_SIZE}
              page={page}
              onPageChange={setPage}
              paginationText={paginationText}
              onRowClick={({ record }) => setOpen(record)}
              columns={[
                {
                  accessor: 'record_kind',
                  title: 'Kind',
                  render: (d) => capitalize(defOf(d.record_kind)?.noun ?? d.record_kind.replace(/_/g, ' ')),
                },
                { accessor: 'record', title: 'Record', render: (d) => <DraftRecord draft={d} def={defOf(d.record_kind)} /> },
                {
                  accessor: 'operation',
                  title: 'Change',
                  render: (d) => {
                    const op = operationLabel[d.operation] ?? { label: d.operation, color: 'gray' };
                    return <Badge color={op.color}>{op.label}</Badge>;
                  },
                },
                { accessor: 'note', title: 'Note', render: (d) => <Text size="sm" lineClamp={1}>{d.note || '—'}</Text> },
                {
                  accessor: 'created_at',
                  title: status === 'pushed' ? 'Pushed' : 'Saved',
                  render: (d) => (
                    <Text size="sm" title={formatDateTime(d.pushed_at ?? d.created_at)}>
                      {formatRelative(d.pushed_at ?? d.created_at)} · {personName(d.created_by)}
                    </Text>
                  ),
                },
              ]}
            />
          )}
        </QueryView>
      </Stack>
      {open && <DraftModal draft={open} def={defOf(open.record_kind)} onClose={() => setOpen(null)} />}
    </>
  );
}

/** One draft, previewed against the current state, with Push and Discard. */
function DraftModal({ draft, def, onClose }: { draft: Draft; def?: KindDefinition; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { me } = useMe();
  const { nameOf } = useScopeDirectory();
  const canWrite = def ? can(me, def.write) : false;
  const detail = useQuery({
    queryKey: configKeys.draft(draft.id),
    queryFn: async () => unwrap(await api.GET('/api/v1/config/drafts/{id}', { params: { path: { id: draft.id } } })),
  });
  const stored = useQuery({
    queryKey: configKeys.record(draft.record_kind, draft.record_id ?? ''),
    queryFn: () => getRecord(draft.record_kind, draft.record_id ?? ''),
    enabled: !!draft.record_id && draft.operation !== 'create',
    retry: false,
  });
  const push = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/config/drafts/{id}/push', { params: { path: { id: draft.id } } })),
    onSuccess: async () => {
      await refreshConfiguration(queryClient);
      // Applied is not on the switch yet: its push is only queued, and its sync status follows.
      const calls = detail.data?.preview?.switch_calls?.length ?? 0;
      if (calls > 0) await queryClient.invalidateQueries({ queryKey: switchRoot });
      notifications.show(calls > 0 ? { color: 'sky', title: 'Draft pushed', message: 'Queued for the switch; its sync status shows whether it got there.' } : { color: 'green', message: 'Draft pushed' });
      onClose();
    },
  });
  const discard = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/config/drafts/{id}/discard', { params: { path: { id: draft.id } } })),
    onSuccess: async () => {
      await refreshConfiguration(queryClient);
      notifications.show({ color: 'gray', message: 'Draft discarded' });
      onClose();
    },
  });
  const isOpen = draft.status === 'draft';
  const preview = detail.data?.preview ?? null;
  const fields = (draft.change?.fields ?? {}) as Record<string, unknown>;
  const ctx = { record: { ...(stored.data ?? {}), ...fields }, nameOf };

  return (
    <Modal opened onClose={onClose} size="lg" centered title={`Draft: ${capitalize(def?.noun ?? draft.record_kind)}`}>
      <Stack gap="lg">
        {draft.note && (
          <Text size="sm" fs="italic" c="dimmed">
            “{draft.note}”
          </Text>
        )}
        {detail.isPending ? (
          <Skeleton height={180} radius="md" />
        ) : detail.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {problemMessage(detail.error)}
          </Alert>
        ) : detail.data.error ? (
          <Alert color="amber" variant="light" icon={<IconAlertCircle size={18} />} title="This draft can no longer be pushed">
            {capitalize(detail.data.error)}. Discard it and make the change again.
          </Alert>
        ) : preview ? (
          <ChangePreview preview={preview} def={def} ctx={ctx} beforeCtx={{ record: stored.data ?? null, nameOf }} />
        ) : (
          <Text size="sm" c="dimmed">
            This draft was {draft.status}
            {draft.pushed_at ? ` ${formatRelative(draft.pushed_at)}` : ''}.
          </Text>
        )}
        {(push.isError || discard.isError) && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {problemMessage(push.error ?? discard.error)}
          </Alert>
        )}
        <Group justify="space-between" gap="sm">
          {isOpen && canWrite ? (
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={16} />}
              loading={discard.isPending}
              onClick={() =>
                confirmDestructive({
                  title: 'Discard this draft?',
                  message: 'The change is dropped and nothing is applied. The draft stays listed under Discarded.',
                  confirmLabel: 'Discard draft',
                  onConfirm: () => discard.mutate(),
                })
              }
            >
              Discard
            </Button>
          ) : (
            <span />
          )}
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            {isOpen && canWrite && (
              <Button
                leftSection={<IconSend size={16} />}
                onClick={() => push.mutate()}
                loading={push.isPending}
                disabled={!preview || preview.blockers.length > 0}
              >
                Push now
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
