import { Badge, Button, Code, Group, Text, Tooltip } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconApi, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { can } from '../../auth/permissions';
import { useMe } from '../../auth/useMe';
import { confirmDestructive } from '../../components/confirm';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { tableLook } from '../../components/tables';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format';
import type { Portal } from '../../shell/nav';
import { confirmRevokeMyKeys, useRevokeMyKeys } from '../profile/KeysToReview';
import { CreateApiKeyModal } from './CreateApiKeyModal';

type ApiKey = components['schemas']['ApiKey'];

const keysKey = ['account', 'api-keys'] as const;

/** Active, expired or revoked, in words and colour. */
export function keyStatus(key: ApiKey, now: Date = new Date()): { label: string; color: string } {
  if (key.revoked_at) return { label: 'Revoked', color: 'gray' };
  if (key.expires_at && new Date(key.expires_at) <= now) return { label: 'Expired', color: 'amber' };
  return { label: 'Active', color: 'green' };
}

/** The account's API keys: create (the secret shows once), see last use, revoke. */
export function ApiKeysPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`API keys · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const keys = useQuery({ queryKey: keysKey, queryFn: async () => unwrap(await api.GET('/api/v1/api-keys')) });
  // The roles a key may have are the account's roles (team.read comes with api_keys.manage).
  const team = useQuery({
    queryKey: ['account', 'team'],
    queryFn: async () => unwrap(await api.GET('/api/v1/team')),
    enabled: can(me, 'team.read'),
  });
  const roles = team.data?.roles ?? [];
  const labelOf = (code: string) => roles.find((r) => r.code === code)?.label ?? code;
  const refresh = () => queryClient.invalidateQueries({ queryKey: keysKey });

  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => notifications.show({ color: 'green', message: 'API key revoked' }),
    onError: (e) => notifications.show({ color: 'red', title: 'Could not revoke the key', message: problemMessage(e) }),
    onSettled: refresh,
  });

  const revokeMine = useRevokeMyKeys();
  const newKey = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} disabled={roles.length === 0}>
      Create API key
    </Button>
  );
  const actions = (
    <Group gap="sm">
      {me?.credential === 'session' && (keys.data ?? []).some((k) => !k.revoked_at) && (
        <Button variant="default" color="red" loading={revokeMine.isPending} onClick={() => confirmRevokeMyKeys(() => revokeMine.mutate())}>
          Revoke all my keys
        </Button>
      )}
      {newKey}
    </Group>
  );

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys for the DIDtron REST API. Send <Code>Authorization: Bearer &lt;key id&gt;.&lt;secret&gt;</Code>; a key can do no
            more than its role allows.
          </>
        }
        actions={actions}
      />
      <QueryView
        query={keys}
        columns={6}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyPanel
            icon={IconApi}
            title="No API keys yet"
            description="Create a key to automate this account from your own systems."
            action={newKey}
          />
        }
      >
        {(list) => (
          <DataTable
            {...tableLook}
            aria-label="API keys"
            records={list}
            columns={[
              {
                accessor: 'name',
                title: 'Name',
                render: (k) => (
                  <Text size="sm" fw={500}>
                    {k.name}
                  </Text>
                ),
              },
              { accessor: 'id', title: 'Key id', render: (k) => <Code fz="xs">{k.id}</Code> },
              { accessor: 'role', title: 'Role', render: (k) => labelOf(k.role) },
              { accessor: 'created_at', title: 'Created', render: (k) => formatDate(k.created_at) },
              {
                accessor: 'last_used_at',
                title: 'Last used',
                render: (k) =>
                  k.last_used_at ? (
                    <Tooltip label={`${formatDateTime(k.last_used_at)}${k.last_used_ip ? ` from ${k.last_used_ip}` : ''}`}>
                      <span>{formatRelative(k.last_used_at)}</span>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Never
                    </Text>
                  ),
              },
              {
                accessor: 'expires_at',
                title: 'Expires',
                render: (k) => (k.expires_at ? formatDate(k.expires_at) : <Text size="sm" c="dimmed">Never</Text>),
              },
              {
                accessor: 'status',
                title: 'Status',
                render: (k) => {
                  const status = keyStatus(k);
                  return <Badge color={status.color}>{status.label}</Badge>;
                },
              },
              {
                accessor: 'actions',
                title: '',
                textAlign: 'right',
                render: (k) =>
                  !k.revoked_at && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() =>
                        confirmDestructive({
                          title: `Revoke API key ${k.name}?`,
                          message: `Requests with ${k.id} are refused from now on. Anything that uses it stops working; this cannot be undone.`,
                          confirmLabel: 'Revoke key',
                          onConfirm: () => revoke.mutate(k.id),
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
      {creating && <CreateApiKeyModal roles={roles} onClose={() => setCreating(false)} onCreated={refresh} />}
    </>
  );
}
