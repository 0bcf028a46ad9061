import { Alert, Badge, Button, Code, Group, SegmentedControl, Skeleton, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp, IconListCheck, IconRefresh } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { problemMessage, sentence } from '../../../api/problem';
import { confirmAction } from '../../../components/confirm';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { QueryView } from '../../../components/QueryView';
import { PAGE_SIZE, tableLook } from '../../../components/tables';
import { configKeys } from '../../../config/api';
import { usePeople } from '../../../config/directory';
import type { ConfigRecord } from '../../../config/kind';
import { paginationText } from '../../../config/pagination';
import { formatDateTime } from '../../../lib/format';
import { listCalls, listPushes, retryPush, switchKeys, switchRoot } from './api';
import { CallDetail, CallLine } from './CallDetail';
import { ExpandButton, Expansion } from './Expansion';
import { JsonBlock } from './JsonBlock';
import { RecordLabel } from './RecordLabel';
import { SyncBadge, useSyncStatus, wholeBadge } from './SyncBadge';
import { actionLook, isInFlight, kindNoun, objectLabel, type Overview, type Push, pushStatuses, type RecordSyncStatus, recordTitle } from './sync';
import { When } from './When';

interface PushesPanelProps {
  overview: Overview | undefined;
  canManage: boolean;
  /** Milliseconds between refreshes while the engine is busy; false when idle. */
  poll: number | false;
}

/** The queue: pushes by status, each opening to its planned calls and the calls it made. */
export function PushesPanel({ overview, canManage, poll }: PushesPanelProps) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('all');
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const filter = { status: status === 'all' ? undefined : status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const pushes = useQuery({
    queryKey: switchKeys.pushes(filter),
    queryFn: () => listPushes(filter),
    placeholderData: keepPreviousData,
    refetchInterval: poll,
  });

  const retry = useMutation({
    mutationFn: retryPush,
    onSuccess: () => notifications.show({ color: 'green', message: 'Push queued again' }),
    onError: (e) => notifications.show({ color: 'red', title: 'Could not retry the push', message: problemMessage(e) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: switchRoot }),
  });

  // Only a record's latest push can be retried; an older failure shows that it was pushed again since.
  const latestPush = useLatestPushes(pushes.data?.items ?? []);

  const counts = overview?.pushes;
  const total = counts ? counts.pending + counts.running + counts.failed + counts.synced : undefined;
  const label = (text: string, n: number | undefined, color?: string) => (
    <Group gap={6} wrap="nowrap" justify="center">
      <span>{text}</span>
      {n !== undefined && (
        <Badge size="xs" variant="light" color={n > 0 && color ? color : 'gray'} circle={n < 10}>
          {n}
        </Badge>
      )}
    </Group>
  );

  const confirmRetry = (push: Push) => {
    const record = queryClient.getQueryData<ConfigRecord>(configKeys.record(push.record_kind, push.record_id));
    const name = `${kindNoun(push.record_kind)} ${recordTitle(record, push.record_id)}`;
    confirmAction({
      title: `Push ${name} again?`,
      message: `The record is pushed to the switch as it is now, in a new push. This failed push stays in the list with its error${push.rolled_back ? '' : '; its rollback did not finish, so check the switch after the retry'}.`,
      confirmLabel: 'Retry push',
      onConfirm: () => retry.mutate(push.id),
    });
  };

  return (
    <Stack gap="md">
      <SegmentedControl
        aria-label="Push status"
        value={status}
        onChange={(v) => {
          setStatus(v);
          setPage(1);
          setExpanded([]);
        }}
        data={[
          { value: 'all', label: label('All', total) },
          ...pushStatuses.map((s) => ({ value: s.value, label: label(s.label, counts?.[s.value], s.color) })),
        ]}
        // Each control as wide as its label: equal widths cut "Synced 120" short.
        styles={{ control: { flex: 'none' } }}
        style={{ alignSelf: 'flex-start', maxWidth: '100%', overflowX: 'auto' }}
      />
      <QueryView
        query={pushes}
        columns={6}
        isEmpty={(d) => d.total === 0}
        empty={
          <EmptyPanel
            compact
            icon={IconListCheck}
            title={status === 'all' ? 'No pushes yet' : `No ${status} pushes`}
            description={
              status === 'failed'
                ? 'Nothing has failed: every push reached the switch.'
                : 'Saving a carrier, POP, route or rate card queues a push to the switch; it is listed here.'
            }
          />
        }
      >
        {(data) => (
          <DataTable
            {...tableLook}
            aria-label="Pushes"
            records={data.items}
            fetching={pushes.isFetching && pushes.isPlaceholderData}
            totalRecords={data.total}
            recordsPerPage={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            paginationText={paginationText}
            rowExpansion={{
              allowMultiple: true,
              expanded: { recordIds: expanded, onRecordIdsChange: setExpanded },
              content: ({ record }) => <PushDetail push={record} poll={poll} />,
            }}
            rowStyle={() => ({ cursor: 'pointer' })}
            columns={[
              { accessor: 'expand', title: '', width: 44, render: (p) => <ExpandButton open={expanded.includes(p.id)} label="push details" /> },
              { accessor: 'record', title: 'Record', render: (p) => <RecordLabel kind={p.record_kind} id={p.record_id} /> },
              {
                accessor: 'version',
                title: 'Version',
                width: 90,
                render: (p) => (
                  <Text size="sm" ff="monospace">
                    {p.version > 0 ? `v${p.version}` : 'deleted'}
                  </Text>
                ),
              },
              {
                accessor: 'status',
                title: 'Status',
                render: (p) => (
                  <Group gap={6} wrap="nowrap">
                    <SyncBadge status={p.status} error={p.error} version={p.version} syncedVersion={p.status === 'synced' ? p.version : null} />
                    {p.status === 'failed' && <RollbackBadge rolledBack={p.rolled_back} />}
                  </Group>
                ),
              },
              {
                accessor: 'operations',
                title: 'Calls',
                render: (p) =>
                  isInFlight(p.status) && p.operations.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  ) : (
                    <Text size="sm">{p.operations.length === 0 ? 'None needed' : p.operations.length === 1 ? '1 call' : `${p.operations.length} calls`}</Text>
                  ),
              },
              { accessor: 'created_at', title: 'Queued', render: (p) => <When at={p.created_at} /> },
              {
                accessor: 'error',
                title: 'Error',
                render: (p) =>
                  p.error ? (
                    // A pending push with an error waits to try again: amber, not yet a failure.
                    <Text size="sm" c={p.status === 'failed' ? 'red' : 'amber'} lineClamp={1} maw={280} title={p.error} style={{ whiteSpace: 'normal' }}>
                      {sentence(p.error)}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  ),
              },
              {
                accessor: 'actions',
                title: <VisuallyHidden>Actions</VisuallyHidden>,
                textAlign: 'right',
                render: (p) => {
                  if (p.status !== 'failed') return null;
                  const latest = latestPush(p);
                  if (latest === false) {
                    return (
                      <Tooltip label="This record has been pushed again since: its newer push is in the list." withArrow>
                        <Text size="xs" c="dimmed">
                          Pushed again
                        </Text>
                      </Tooltip>
                    );
                  }
                  return canManage ? (
                    <Group justify="flex-end" onClick={(e) => e.stopPropagation()}>
                      <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} onClick={() => confirmRetry(p)} loading={retry.isPending && retry.variables === p.id}>
                        Retry
                      </Button>
                    </Group>
                  ) : null;
                },
              },
            ]}
          />
        )}
      </QueryView>
    </Stack>
  );
}

/**
 * Whether a push is its record's latest (true), an older one (false), or not known yet (undefined),
 * from the records' sync status, which names each record's last push.
 */
function useLatestPushes(pushes: readonly Push[]): (push: Push) => boolean | undefined {
  const idsOf = (kind: string) => pushes.filter((p) => p.record_kind === kind && p.status === 'failed').map((p) => p.record_id);
  const byKind: Record<string, Record<string, RecordSyncStatus>> = {
    carrier: useSyncStatus('carrier', idsOf('carrier')),
    pop: useSyncStatus('pop', idsOf('pop')),
    route: useSyncStatus('route', idsOf('route')),
    rate_card: useSyncStatus('rate_card', idsOf('rate_card')),
  };
  return (push) => {
    const status = byKind[push.record_kind]?.[push.record_id];
    return status?.last_push_id ? status.last_push_id === push.id : undefined;
  };
}

/** A failed push either left the switch as it was (rolled back) or could not undo every step. */
function RollbackBadge({ rolledBack }: { rolledBack: boolean }) {
  return rolledBack ? (
    <Tooltip label="The steps already applied were undone: the switch is as it was before this push." multiline maw={300} withArrow>
      <Badge color="gray" variant="light" leftSection={<IconArrowBackUp size={12} />} styles={wholeBadge} style={{ flexShrink: 0 }}>
        Rolled back
      </Badge>
    </Tooltip>
  ) : (
    <Tooltip label="The rollback could not finish: the switch may hold part of this push. The next reconciliation lists what differs." multiline maw={300} withArrow>
      <Badge color="red" variant="outline" leftSection={<IconAlertTriangle size={12} />} styles={wholeBadge} style={{ flexShrink: 0 }}>
        Not rolled back
      </Badge>
    </Tooltip>
  );
}

/** One push opened: who queued it, the switch's error, the calls it planned and the calls it made. */
function PushDetail({ push, poll }: { push: Push; poll: number | false }) {
  const personOf = usePeople();
  const filter = { push_id: push.id, limit: 100, offset: 0 };
  const calls = useQuery({
    queryKey: switchKeys.calls(filter),
    queryFn: () => listCalls(filter),
    refetchInterval: isInFlight(push.status) ? poll : false,
  });
  // Newest first from the API; a push reads best in the order its calls were made.
  const made = [...(calls.data?.items ?? [])].reverse();
  return (
    <Expansion testId="push-detail">
      <Text size="xs" c="dimmed">
        Push <Code>{push.id}</Code> · queued {formatDateTime(push.created_at)} by {personOf(push.created_by)} · {push.attempts === 1 ? '1 run' : `${push.attempts} runs`} · last change {formatDateTime(push.updated_at)}
      </Text>
      {push.status === 'failed' && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The switch did not take this push">
          <Stack gap={4}>
            <Text size="sm">{push.error ? sentence(push.error) : 'No error was given.'}</Text>
            <Text size="sm" c="dimmed">
              {push.rolled_back
                ? 'The steps already applied were undone, so the switch is as it was before. Fix the cause, then retry.'
                : 'The rollback could not finish: the switch may hold part of this push. The next reconciliation lists what differs.'}
            </Text>
          </Stack>
        </Alert>
      )}

      <Stack gap="xs">
        <Text size="sm" fw={600}>
          Planned calls
        </Text>
        {push.operations.length === 0 ? (
          <Text size="sm" c="dimmed">
            {isInFlight(push.status) ? 'The calls are planned when the push runs.' : 'None: nothing had changed since DIDtron last sent this record.'}
          </Text>
        ) : (
          <Stack gap={6}>
            {push.operations.map((op, i) => {
              const action = actionLook(op.action);
              return (
                <Stack key={`${op.local_key}-${i}`} gap={4} data-testid="planned-call">
                  <Group gap="xs" wrap="wrap">
                    <Text size="xs" c="dimmed" w={18} ta="right">
                      {i + 1}.
                    </Text>
                    <Badge color={action.color} variant="light" size="sm" styles={wholeBadge}>
                      {action.label}
                    </Badge>
                    <Text size="sm">{objectLabel(op.object)}</Text>
                    <CallLine method={op.method} path={op.path} />
                  </Group>
                  {op.body != null && (
                    <div style={{ paddingLeft: 26 }}>
                      <JsonBlock label="Body" value={op.body} />
                    </div>
                  )}
                </Stack>
              );
            })}
          </Stack>
        )}
      </Stack>

      <Stack gap="xs">
        <Text size="sm" fw={600}>
          Calls made
        </Text>
        {calls.isPending ? (
          <Skeleton h={56} radius="md" />
        ) : calls.isError ? (
          <Alert color="red" variant="light">
            {problemMessage(calls.error)}
          </Alert>
        ) : made.length === 0 ? (
          <Text size="sm" c="dimmed">
            {isInFlight(push.status) ? 'None yet.' : 'None: the push stopped before calling the switch.'}
          </Text>
        ) : (
          <Stack gap="xs">
            {made.map((c) => (
              <CallDetail key={c.id} call={c} />
            ))}
            {calls.data && calls.data.total > made.length && (
              <Text size="xs" c="dimmed">
                The latest {made.length} of {calls.data.total} calls; the Calls tab lists them all.
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Expansion>
  );
}
