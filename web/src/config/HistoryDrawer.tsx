import { Alert, Badge, Button, Drawer, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowBackUp } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { problemMessage } from '../api/problem';
import { confirmAction } from '../components/confirm';
import { formatDateTime, formatRelative } from '../lib/format';
import { configKeys, listVersions, refreshConfiguration, rollbackRecord, type Version } from './api';
import { DiffTable } from './DiffTable';
import { usePeople, useScopeDirectory } from './directory';
import { capitalize, type ConfigRecord, type KindDefinition, recordTitle } from './kind';

const actionLabel: Record<string, { label: string; color: string }> = {
  create: { label: 'Created', color: 'green' },
  update: { label: 'Changed', color: 'sky' },
  delete: { label: 'Deleted', color: 'red' },
  rollback: { label: 'Rolled back', color: 'amber' },
};

interface HistoryDrawerProps {
  def: KindDefinition;
  record: ConfigRecord;
  canWrite: boolean;
  onClose: () => void;
}

/** Every version of a record, newest first, with what each changed; any earlier version can be restored. */
export function HistoryDrawer({ def, record, canWrite, onClose }: HistoryDrawerProps) {
  const queryClient = useQueryClient();
  const { nameOf } = useScopeDirectory();
  const personName = usePeople();
  const title = recordTitle(def, record);
  const versions = useInfiniteQuery({
    queryKey: configKeys.versions(def.kind, record.id),
    queryFn: ({ pageParam }) => listVersions(def.kind, record.id, pageParam),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined),
  });
  const items = versions.data?.pages.flatMap((p) => p.items) ?? [];
  const latest = items[0]?.version;

  const rollback = useMutation({
    mutationFn: (version: number) => rollbackRecord(def.kind, record.id, version),
    onSuccess: async (restored, version) => {
      await refreshConfiguration(queryClient);
      notifications.show({ color: 'green', message: `Rolled back to version ${version}; it is now version ${restored.version}` });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Could not roll back', message: problemMessage(e) }),
  });

  function confirmRollback(v: Version) {
    confirmAction({
      title: `Roll back ${def.noun} ${title} to version ${v.version}?`,
      message: `The fields${def.assigned ? ' and assignments' : ''} it had at version ${v.version} are saved as a new version, and customers’ service follows at once. Nothing is lost: the current version stays in the history.`,
      confirmLabel: `Roll back to version ${v.version}`,
      onConfirm: () => rollback.mutate(v.version),
    });
  }

  return (
    <Drawer opened onClose={onClose} position="right" size={640} title={`History of ${def.noun} ${title}`}
        styles={{ title: { fontWeight: 600, fontSize: 'var(--mantine-font-size-lg)' } }}>
      <Stack gap="md">
        {versions.isPending &&
          Array.from({ length: 3 }, (_, i) => <Skeleton key={i} height={120} radius="lg" />)}
        {versions.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {problemMessage(versions.error)}
          </Alert>
        )}
        {versions.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            No versions recorded yet: the history starts with the first change.
          </Text>
        )}
        {items.map((v) => {
          const action = actionLabel[v.action] ?? { label: capitalize(v.action), color: 'gray' };
          const current = v.version === latest && v.action !== 'delete';
          return (
            <Paper key={v.id} withBorder p="md" radius="lg" aria-label={`Version ${v.version}`} role="article">
              <Stack gap="sm">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Group gap="xs">
                    <Badge color={action.color}>{action.label}</Badge>
                    <Text fw={600} size="sm">
                      Version {v.version}
                    </Text>
                    {current && (
                      <Badge color="green" variant="outline">
                        Current
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed" title={formatDateTime(v.created_at)}>
                    {formatRelative(v.created_at)} · {personName(v.created_by)}
                  </Text>
                </Group>
                {v.note && (
                  <Text size="sm" c="dimmed" fs="italic">
                    {capitalize(v.note)}
                  </Text>
                )}
                <DiffTable
                  def={def}
                  diff={v.diff}
                  ctx={{ record: v.snapshot, nameOf }}
                  beforeCtx={{ record: v.previous, nameOf }}
                  only={v.previous === null ? 'after' : v.snapshot === null ? 'before' : undefined}
                />
                {canWrite && !current && v.snapshot && (
                  <Group justify="flex-end">
                    <Button
                      size="xs"
                      variant="default"
                      leftSection={<IconArrowBackUp size={14} />}
                      onClick={() => confirmRollback(v)}
                      loading={rollback.isPending && rollback.variables === v.version}
                    >
                      Roll back to version {v.version}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Paper>
          );
        })}
        {versions.hasNextPage && (
          <Button variant="subtle" onClick={() => versions.fetchNextPage()} loading={versions.isFetchingNextPage}>
            Show older versions
          </Button>
        )}
      </Stack>
    </Drawer>
  );
}
