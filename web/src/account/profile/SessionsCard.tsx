import { Badge, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDevices, IconLogout } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { confirmDestructive } from '../../components/confirm';
import { EmptyPanel } from '../../components/EmptyPanel';
import { QueryView } from '../../components/QueryView';
import { tableLook } from '../../components/tables';
import { describeUserAgent, formatDateTime, formatRelative } from '../../lib/format';
import { SectionCard } from './SectionCard';
import { confirmRevokeMyKeys, useRevokeMyKeys } from './KeysToReview';

const sessionsKey = ['account', 'sessions'] as const;

/** Where the person is signed in, with "this device", revoke one, and log out everywhere. */
export function SessionsCard() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: sessionsKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/me/sessions')),
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      notifications.show({ color: 'green', message: 'Session signed out' });
      void queryClient.invalidateQueries({ queryKey: sessionsKey });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Could not sign out the session', message: problemMessage(e) }),
  });
  const revokeAll = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/me/sessions/revoke-all')),
    // This session ended too: start over on the sign-in page, with nothing left in memory.
    onSuccess: () => window.location.assign('/login'),
    onError: (e) => notifications.show({ color: 'red', title: 'Could not sign out everywhere', message: problemMessage(e) }),
  });

  const revokeKeys = useRevokeMyKeys();
  const confirmAll = () =>
    confirmDestructive({
      title: 'Log out all devices?',
      message: `Every session of your account ends, this one included (${sessions.data?.length ?? 'all'} in total). You will have to sign in again everywhere. API keys are not sessions: they keep working until you revoke them.`,
      confirmLabel: 'Log out all devices',
      onConfirm: () => revokeAll.mutate(),
    });

  return (
    <SectionCard
      title="Where you are signed in"
      description="Sessions of your account. Sign out any you do not recognise, then change your password."
      aside={
        <Group gap="sm">
          <Button variant="default" color="red" onClick={() => confirmRevokeMyKeys(() => revokeKeys.mutate())} loading={revokeKeys.isPending}>
            Revoke my API keys
          </Button>
          <Button variant="outline" color="red" leftSection={<IconLogout size={16} />} onClick={confirmAll} loading={revokeAll.isPending}>
            Log out all devices
          </Button>
        </Group>
      }
    >
      <QueryView
        query={sessions}
        columns={4}
        rows={2}
        isEmpty={(list) => list.length === 0}
        empty={<EmptyPanel compact icon={IconDevices} description="No active sessions." />}
      >
        {(list) => (
          <DataTable
            {...tableLook}
            aria-label="Sessions"
            records={list}
            columns={[
              {
                accessor: 'user_agent',
                title: 'Device',
                render: (s) => (
                  <Stack gap={2}>
                    <Group gap={6} wrap="nowrap">
                      <Tooltip label={s.user_agent || 'No browser information'} multiline maw={360}>
                        <Text size="sm" fw={500}>
                          {describeUserAgent(s.user_agent)}
                        </Text>
                      </Tooltip>
                      {s.current && (
                        <Badge color="green" size="sm" style={{ flexShrink: 0 }}>
                          This device
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {s.remember ? 'Remembered for 30 days' : 'Until the browser closes'}
                    </Text>
                  </Stack>
                ),
              },
              { accessor: 'ip', title: 'IP address', render: (s) => <Text size="sm" ff="monospace">{s.ip}</Text> },
              { accessor: 'created_at', title: 'Signed in', render: (s) => formatDateTime(s.created_at) },
              {
                accessor: 'last_seen_at',
                title: 'Last active',
                render: (s) => <Tooltip label={formatDateTime(s.last_seen_at)}><span>{formatRelative(s.last_seen_at)}</span></Tooltip>,
              },
              {
                accessor: 'actions',
                title: '',
                textAlign: 'right',
                render: (s) =>
                  s.current ? null : (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() =>
                        confirmDestructive({
                          title: 'Sign out this session?',
                          message: `${describeUserAgent(s.user_agent)} at ${s.ip} will have to sign in again.`,
                          confirmLabel: 'Sign out session',
                          onConfirm: () => revoke.mutate(s.id),
                        })
                      }
                    >
                      Revoke
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </QueryView>
    </SectionCard>
  );
}
