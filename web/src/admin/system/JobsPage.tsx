import { Badge, Button, Code, Group, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconCalendarTime, IconListCheck, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { confirmAction } from '../../components/confirm';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { PAGE_SIZE, tableLook } from '../../components/tables';
import { paginationText } from '../../config/pagination';
import { formatDateTime, formatRelative } from '../../lib/format';
import type { Portal } from '../../shell/nav';

type Job = components['schemas']['Job'];

const jobsKey = ['jobs'] as const;

/** The statuses in the order work moves through them, with their colours. */
const statuses = [
  { value: 'queued', label: 'Queued', color: 'sky' },
  { value: 'running', label: 'Running', color: 'blue' },
  { value: 'succeeded', label: 'Succeeded', color: 'green' },
  { value: 'dead', label: 'Failed', color: 'red' },
  { value: 'cancelled', label: 'Cancelled', color: 'gray' },
] as const;

const statusOf = (s: string) => statuses.find((x) => x.value === s) ?? { value: s, label: s, color: 'gray' };

function When({ at }: { at: string | null | undefined }) {
  if (!at) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Tooltip label={formatDateTime(at)}>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {formatRelative(at)}
      </Text>
    </Tooltip>
  );
}

/** Background and scheduled work: status tabs with counts, retry and cancel, and the schedules. */
export function JobsPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Jobs · ${portal.name} · DIDtron`);
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string>('all');
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);

  const counts = useQuery({
    queryKey: [...jobsKey, 'counts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/jobs/counts')),
    refetchInterval: 5000,
  });
  const query = { status: status === 'all' ? undefined : status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const jobs = useQuery({
    queryKey: [...jobsKey, 'list', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/jobs', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  const schedules = useQuery({
    queryKey: [...jobsKey, 'schedules'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/schedules')),
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: jobsKey });
  const retry = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/admin/jobs/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => notifications.show({ color: 'green', message: 'Job queued again' }),
    onError: (e) => notifications.show({ color: 'red', title: 'Could not retry the job', message: problemMessage(e) }),
    onSettled: refresh,
  });
  const cancel = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/admin/jobs/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => notifications.show({ color: 'green', message: 'Job cancelled' }),
    onError: (e) => notifications.show({ color: 'red', title: 'Could not cancel the job', message: problemMessage(e) }),
    onSettled: refresh,
  });

  const countOf = (s: string) => counts.data?.find((c) => c.status === s)?.count ?? 0;
  const total = counts.data?.reduce((sum, c) => sum + c.count, 0) ?? 0;

  return (
    <>
      <PageHeader title="Jobs" description="Background and scheduled work: syncs, imports, invoices, metric collection." />
      <Stack gap="xl">
        <Stack gap="md">
          <Tabs
            value={status}
            onChange={(v) => {
              setStatus(v ?? 'all');
              setPage(1);
            }}
          >
            <Tabs.List>
              <Tabs.Tab value="all" rightSection={<Badge color="gray" size="sm">{total}</Badge>}>
                All
              </Tabs.Tab>
              {statuses.map((s) => (
                <Tabs.Tab key={s.value} value={s.value} rightSection={<Badge color={countOf(s.value) > 0 ? s.color : 'gray'} size="sm">{countOf(s.value)}</Badge>}>
                  {s.label}
                </Tabs.Tab>
              ))}
            </Tabs.List>
          </Tabs>
          <QueryView
            query={jobs}
            columns={6}
            isEmpty={(d) => d.total === 0}
            empty={
              <EmptyPanel
                compact
                icon={IconListCheck}
                title={status === 'all' ? 'No jobs yet' : `No ${statusOf(status).label.toLowerCase()} jobs`}
                description="Queued, running and finished jobs are listed here."
              />
            }
          >
            {(data) => (
              <DataTable
                {...tableLook}
                aria-label="Jobs"
                records={data.items}
                totalRecords={data.total}
                recordsPerPage={PAGE_SIZE}
                page={page}
                onPageChange={setPage}
                paginationText={paginationText}
                rowExpansion={{
                  allowMultiple: true,
                  expanded: { recordIds: expanded, onRecordIdsChange: setExpanded },
                  content: ({ record }) => (
                    <Stack gap={6} p="md" bg="var(--didtron-page-bg)">
                      <Text size="xs" c="dimmed">
                        Job <Code>{record.id}</Code> · created {formatDateTime(record.created_at)}
                      </Text>
                      <Code block>{prettyJson(record.payload)}</Code>
                      {record.last_error && (
                        <Text size="sm" c="red">
                          {record.last_error}
                        </Text>
                      )}
                    </Stack>
                  ),
                }}
                columns={[
                  { accessor: 'kind', title: 'Kind', render: (j) => <Code>{j.kind}</Code> },
                  {
                    accessor: 'status',
                    title: 'Status',
                    render: (j) => {
                      const s = statusOf(j.status);
                      return <Badge color={s.color}>{s.label}</Badge>;
                    },
                  },
                  { accessor: 'attempts', title: 'Attempts', render: (j) => `${j.attempts} of ${j.max_attempts}`, width: 100 },
                  { accessor: 'run_at', title: 'Runs', render: (j) => <When at={j.run_at} /> },
                  { accessor: 'finished_at', title: 'Finished', render: (j) => <When at={j.finished_at} /> },
                  {
                    accessor: 'last_error',
                    title: 'Last error',
                    render: (j) => (j.last_error ? <Text size="sm" c="red" lineClamp={1} maw={260}>{j.last_error}</Text> : <Text size="sm" c="dimmed">—</Text>),
                  },
                  {
                    accessor: 'actions',
                    title: '',
                    textAlign: 'right',
                    render: (j) => (
                      <Group gap={4} justify="flex-end" wrap="nowrap" onClick={(e) => e.stopPropagation()}>
                        {['dead', 'cancelled', 'succeeded'].includes(j.status) && (
                          <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} onClick={() => confirmRetry(j)}>
                            Retry
                          </Button>
                        )}
                        {j.status === 'queued' && (
                          <Button size="xs" variant="subtle" color="red" leftSection={<IconPlayerStop size={14} />} onClick={() => confirmCancel(j)}>
                            Cancel
                          </Button>
                        )}
                      </Group>
                    ),
                  },
                ]}
              />
            )}
          </QueryView>
        </Stack>

        <Stack gap="md">
          <Title order={2} size="h3">
            Schedules
          </Title>
          <QueryView
            query={schedules}
            columns={5}
            isEmpty={(d) => d.length === 0}
            empty={<EmptyPanel compact icon={IconCalendarTime} title="No schedules" description="Recurring work (metrics, invoices, syncs) appears here." />}
          >
            {(data) => (
              <DataTable
                {...tableLook}
                aria-label="Schedules"
                records={data}
                columns={[
                  { accessor: 'name', title: 'Name', render: (s) => <Text size="sm" fw={500}>{s.name}</Text> },
                  { accessor: 'cron', title: 'When (cron, UTC)', render: (s) => <Code>{s.cron}</Code> },
                  { accessor: 'job_kind', title: 'Job', render: (s) => <Code>{s.job_kind}</Code> },
                  { accessor: 'enabled', title: 'Status', render: (s) => (s.enabled ? <Badge color="green">On</Badge> : <Badge color="gray">Off</Badge>) },
                  { accessor: 'last_run_at', title: 'Last run', render: (s) => <When at={s.last_run_at} /> },
                  { accessor: 'next_run_at', title: 'Next run', render: (s) => <When at={s.next_run_at} /> },
                ]}
              />
            )}
          </QueryView>
        </Stack>
      </Stack>
    </>
  );

  function confirmRetry(job: Job) {
    confirmAction({
      title: `Run the ${job.kind} job again?`,
      message: `It is queued now with fresh attempts (it was ${statusOf(job.status).label.toLowerCase()}).`,
      confirmLabel: 'Retry job',
      onConfirm: () => retry.mutate(job.id),
    });
  }

  function confirmCancel(job: Job) {
    // Not confirmDestructive: its "Cancel" button would sit beside "Cancel job".
    modals.openConfirmModal({
      title: `Cancel the ${job.kind} job?`,
      centered: true,
      children: <Text size="sm">It will not run. You can retry it later from the Cancelled tab.</Text>,
      labels: { confirm: 'Cancel job', cancel: 'Keep it queued' },
      confirmProps: { color: 'red' },
      onConfirm: () => cancel.mutate(job.id),
    });
  }
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
