import { Alert, Anchor, Badge, Button, Code, Group, Paper, Progress, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowRight, IconCircleCheck, IconPlayerPlay, IconScale, IconUpload } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { problemMessage, sentence } from '../../../api/problem';
import { confirmAction } from '../../../components/confirm';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { QueryView } from '../../../components/QueryView';
import { tableLook } from '../../../components/tables';
import { configKeys } from '../../../config/api';
import type { ConfigRecord } from '../../../config/kind';
import { paginationText } from '../../../config/pagination';
import { formatDateTime } from '../../../lib/format';
import { listReconciliations, pushRecord, startReconciliation, switchKeys, switchRoot } from './api';
import { RecordLabel } from './RecordLabel';
import { diffValue, type Drift, fieldDiffs, kindNoun, localPart, objectLabel, problemLook, type Reconciliation, recordTitle, sentenceCase } from './sync';
import { wholeBadge } from './SyncBadge';
import { When } from './When';

const REPORTS_PER_PAGE = 10;

/** What the page tracks about a "Run now": the newest report before it, to wait for the next. */
export interface AwaitedReport {
  before: string | null;
  since: number;
}

interface ReconciliationPanelProps {
  canManage: boolean;
  poll: number | false;
  awaiting: AwaitedReport | null;
  /** A run was asked for (its report is awaited), or the request failed (null). */
  onAwait: (awaiting: AwaitedReport | null) => void;
}

const reportStatus: Record<string, { label: string; color: string }> = {
  running: { label: 'Running', color: 'blue' },
  done: { label: 'Done', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
};

/** Reconciliation: run it now, read the newest report's drift (or an earlier one), push records again. */
export function ReconciliationPanel({ canManage, poll, awaiting, onAwait }: ReconciliationPanelProps) {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<string | null>(null);
  const params = { limit: REPORTS_PER_PAGE, offset: (page - 1) * REPORTS_PER_PAGE };
  const reports = useQuery({
    queryKey: switchKeys.reconciliations(params),
    queryFn: () => listReconciliations(params),
    placeholderData: keepPreviousData,
    refetchInterval: poll,
  });
  // The newest report stays in view across pages of earlier ones.
  const newestParams = { limit: 1, offset: 0 };
  const newest = useQuery({
    queryKey: switchKeys.reconciliations(newestParams),
    queryFn: () => listReconciliations(newestParams),
    refetchInterval: poll,
  });
  const latest = newest.data?.items[0];
  const shown = (chosen && reports.data?.items.find((r) => r.id === chosen)) || latest;

  const start = useMutation({
    mutationFn: startReconciliation,
    onMutate: () => onAwait({ before: latest?.id ?? null, since: Date.now() }),
    onError: (e) => {
      onAwait(null);
      notifications.show({ color: 'red', title: 'Could not start a reconciliation', message: problemMessage(e) });
    },
    onSettled: () => {
      setChosen(null);
      return queryClient.invalidateQueries({ queryKey: switchRoot });
    },
  });
  const running = start.isPending || !!awaiting || latest?.status === 'running';

  const runButton = canManage ? (
    <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => start.mutate()} loading={start.isPending} disabled={running}>
      {running ? 'Running…' : 'Run now'}
    </Button>
  ) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Text size="sm" c="dimmed" maw={640}>
          Compares what DIDtron’s records say the switch should hold with what it holds, and lists the differences. It changes nothing; it runs every hour and on
          demand.
        </Text>
        {runButton}
      </Group>

      {running && (
        <Paper withBorder p="md" radius="lg" bg="var(--didtron-surface)" role="status" aria-live="polite">
          <Stack gap={8}>
            <Text size="sm" fw={500}>
              Comparing DIDtron’s records with the switch…
            </Text>
            <Progress value={100} striped animated size="sm" aria-label="Reconciliation running" />
          </Stack>
        </Paper>
      )}

      {newest.isError && (
        <Alert color="red" variant="light" title="Could not load the reports">
          {problemMessage(newest.error)}
        </Alert>
      )}

      {newest.data && !latest && !running && (
        <EmptyPanel
          compact
          icon={IconScale}
          title="No reconciliation yet"
          description="The first one runs within the hour. Run one now (above) to see whether the switch matches DIDtron."
        />
      )}

      {shown && <Report report={shown} isLatest={shown.id === latest?.id} canManage={canManage} onShowLatest={() => setChosen(null)} />}

      {reports.data && reports.data.total > 1 && (
        <Stack gap="xs">
          <Title order={3} size="h4">
            Reports
          </Title>
          <QueryView query={reports} columns={4}>
            {(data) => (
              <DataTable
                {...tableLook}
                aria-label="Reconciliation reports"
                records={data.items}
                totalRecords={data.total}
                recordsPerPage={REPORTS_PER_PAGE}
                page={page}
                onPageChange={setPage}
                paginationText={paginationText}
                onRowClick={({ record }) => setChosen(record.id)}
                rowStyle={(r) => ({ cursor: 'pointer', fontWeight: r.id === shown?.id ? 600 : undefined })}
                rowBackgroundColor={(r) => (r.id === shown?.id ? 'var(--portal-accent-soft)' : undefined)}
                columns={[
                  {
                    accessor: 'created_at',
                    title: 'Started',
                    // A button so the keyboard can choose a report too; its click reaches the row.
                    render: (r) => (
                      <Anchor component="button" type="button" size="sm" inherit aria-current={r.id === shown?.id ? 'true' : undefined}>
                        {formatDateTime(r.created_at)}
                      </Anchor>
                    ),
                  },
                  { accessor: 'status', title: 'Status', render: (r) => <ReportStatus status={r.status} /> },
                  { accessor: 'checked', title: 'Checked', textAlign: 'right', render: (r) => (r.status === 'done' ? r.checked : '—') },
                  {
                    accessor: 'drift_count',
                    title: 'Differences',
                    textAlign: 'right',
                    render: (r) =>
                      r.status !== 'done' ? (
                        '—'
                      ) : r.drift_count === 0 ? (
                        <Text span size="sm" c="green">
                          None
                        </Text>
                      ) : (
                        r.drift_count
                      ),
                  },
                ]}
              />
            )}
          </QueryView>
        </Stack>
      )}
    </Stack>
  );
}

function ReportStatus({ status }: { status: string }) {
  const look = reportStatus[status] ?? { label: sentenceCase(status), color: 'gray' };
  return <Badge color={look.color} styles={wholeBadge}>
{look.label}
</Badge>;
}

/** One report: when, what it checked, and the drift table (or "no drift"). */
function Report({ report, isLatest, canManage, onShowLatest }: { report: Reconciliation; isLatest: boolean; canManage: boolean; onShowLatest: () => void }) {
  const queryClient = useQueryClient();
  const push = useMutation({
    mutationFn: ({ kind, id }: { kind: string; id: string }) => pushRecord(kind, id),
    onSuccess: () => notifications.show({ color: 'green', message: 'Push queued: see Queue & failures' }),
    onError: (e) => notifications.show({ color: 'red', title: 'Could not push the record', message: problemMessage(e) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: switchRoot }),
  });

  const confirmPush = (d: Drift) => {
    if (!d.record_kind || !d.record_id) return;
    const { record_kind: kind, record_id: id } = d;
    const record = queryClient.getQueryData<ConfigRecord>(configKeys.record(kind, id));
    const name = `${kindNoun(kind)} ${recordTitle(record, id)}`;
    confirmAction({
      title: `Push ${name} again?`,
      message:
        d.problem === 'different'
          ? 'The switch gets the record as DIDtron has it now: the values changed on the switch are overwritten. If the switch is right, change the record instead.'
          : d.problem === 'left_behind'
            ? 'The push deletes the objects on the switch that no record wants any more.'
            : 'The switch gets the record as DIDtron has it now.',
      confirmLabel: 'Push again',
      onConfirm: () => push.mutate({ kind, id }),
    });
  };

  return (
    <Stack gap="sm" data-testid="reconciliation-report">
      <Group gap="sm" wrap="wrap">
        <Title order={3} size="h4">
          {isLatest ? 'Latest report' : 'Earlier report'}
        </Title>
        <ReportStatus status={report.status} />
        <Text size="sm" c="dimmed">
          Started <When at={report.created_at} />
          {report.status === 'done' && ` · checked ${report.checked} ${report.checked === 1 ? 'object' : 'objects'}`}
        </Text>
        {!isLatest && (
          <Button size="compact-sm" variant="subtle" onClick={onShowLatest}>
            Show the latest
          </Button>
        )}
      </Group>

      {report.status === 'failed' && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The reconciliation could not finish">
          {report.error ? sentence(report.error) : 'No error was given.'}
        </Alert>
      )}

      {report.status === 'done' && report.drift.length === 0 && (
        <Paper withBorder p="lg" radius="lg" bg="var(--didtron-surface)">
          <Group gap="md" wrap="nowrap">
            <ThemeIcon color="green" variant="light" size={40} radius="xl">
              <IconCircleCheck size={22} />
            </ThemeIcon>
            <Stack gap={2}>
              <Text fw={600}>No drift</Text>
              <Text size="sm" c="dimmed">
                The switch holds exactly what DIDtron’s records say: {report.checked} {report.checked === 1 ? 'object' : 'objects'} checked, nothing else on the switch.
              </Text>
            </Stack>
          </Group>
        </Paper>
      )}

      {report.drift.length > 0 && (
        <DataTable
          {...tableLook}
          aria-label="Drift"
          records={report.drift}
          idAccessor={(d) => `${d.problem}:${d.object}:${d.local_key ?? ''}:${d.remote_id ?? ''}`}
          verticalAlign="top"
          columns={[
            {
              accessor: 'problem',
              title: 'Problem',
              render: (d) => {
                const look = problemLook(d.problem);
                return (
                  <Tooltip label={look.hint} multiline maw={320} withArrow disabled={!look.hint}>
                    <Badge color={look.color} styles={wholeBadge}>
{look.label}
</Badge>
                  </Tooltip>
                );
              },
            },
            {
              accessor: 'object',
              title: 'On the switch',
              render: (d) => (
                <Stack gap={0}>
                  <Text size="sm">{objectLabel(d.object)}</Text>
                  <Text size="xs" c="dimmed" ff="monospace" title={d.remote_id ?? undefined}>
                    {d.remote_id ? `id ${d.remote_id}` : 'not there'}
                  </Text>
                </Stack>
              ),
            },
            {
              accessor: 'record',
              title: 'Record',
              render: (d) =>
                d.record_kind && d.record_id ? (
                  <RecordLabel kind={d.record_kind} id={d.record_id} />
                ) : (
                  <Text size="sm" c="dimmed">
                    None (not made by DIDtron)
                  </Text>
                ),
            },
            {
              accessor: 'fields',
              title: 'Differences (DIDtron → switch)',
              render: (d) => <FieldDiffs drift={d} />,
            },
            {
              accessor: 'actions',
              title: '',
              textAlign: 'right',
              render: (d) =>
                canManage && d.record_kind && d.record_id ? (
                  <Button
                    size="xs"
                    variant="subtle"
                    leftSection={<IconUpload size={14} />}
                    onClick={() => confirmPush(d)}
                    loading={push.isPending && push.variables?.id === d.record_id}
                  >
                    Push again
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
    </Stack>
  );
}

/** "port  5060 → 5070", one line per field, what DIDtron sent first. */
function FieldDiffs({ drift }: { drift: Drift }) {
  const diffs = fieldDiffs(drift.fields);
  if (diffs.length === 0) {
    // A carrier IP's key ends with its host: the one detail that tells two of them apart.
    const part = localPart(drift.local_key);
    return part ? (
      <Code title={drift.local_key ?? undefined}>{part}</Code>
    ) : (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      {diffs.map((f) => (
        <Group key={f.field} gap={6} wrap="nowrap">
          <Text size="sm" fw={500} miw={80}>
            {f.field}
          </Text>
          <Code>{diffValue(f.expected)}</Code>
          <IconArrowRight size={14} aria-label="on the switch" style={{ flexShrink: 0 }} />
          <Code bg="var(--mantine-color-amber-light)" c="var(--mantine-color-amber-light-color)">
            {diffValue(f.actual)}
          </Code>
        </Group>
      ))}
    </Stack>
  );
}
