import { Badge, Button, Group, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconMailForward, IconShieldCheck, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { can } from '../../auth/permissions';
import { useMe } from '../../auth/useMe';
import { confirmAction, confirmDestructive } from '../../components/confirm';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { tableLook } from '../../components/tables';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format';
import type { Portal } from '../../shell/nav';
import { InviteModal } from './InviteModal';

type Member = components['schemas']['Member'];
type RoleOption = components['schemas']['RoleOption'];

export const teamKey = ['account', 'team'] as const;

/** The account's people: members with roles, pending invitations; managed with team.manage. */
export function TeamPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Team · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const manage = can(me, 'team.manage');
  const queryClient = useQueryClient();
  const [inviting, setInviting] = useState(false);
  const team = useQuery({ queryKey: teamKey, queryFn: async () => unwrap(await api.GET('/api/v1/team')) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: teamKey });
  const failed = (title: string) => (e: unknown) => notifications.show({ color: 'red', title, message: problemMessage(e) });

  const changeRole = useMutation({
    mutationFn: async ({ id, role }: { id: string; role: string }) =>
      unwrap(await api.PATCH('/api/v1/team/members/{id}', { params: { path: { id } }, body: { role } })),
    onSuccess: () => notifications.show({ color: 'green', message: 'Role changed' }),
    onError: failed('Could not change the role'),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/team/members/{id}', { params: { path: { id } } })),
    onSuccess: () => notifications.show({ color: 'green', message: 'Member removed' }),
    onError: failed('Could not remove the member'),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/team/invitations/{id}', { params: { path: { id } } })),
    onSuccess: () => notifications.show({ color: 'green', message: 'Invitation revoked' }),
    onError: failed('Could not revoke the invitation'),
    onSettled: refresh,
  });

  const labelOf = (roles: RoleOption[], code: string) => roles.find((r) => r.code === code)?.label ?? code;

  return (
    <>
      <PageHeader
        title="Team"
        description="The people who share this account and what each of them may do."
        actions={
          manage && (
            <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)} disabled={!team.data}>
              Invite member
            </Button>
          )
        }
      />
      <QueryView query={team} columns={5}>
        {({ members, invitations, roles }) => (
          <Stack gap="xl">
            <DataTable
              {...tableLook}
              aria-label="Members"
              records={members}
              columns={[
                {
                  accessor: 'name',
                  title: 'Name',
                  render: (m) => (
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {m.name}
                      </Text>
                      {m.id === me?.user.id && (
                        <Badge size="sm" color="gray" style={{ flexShrink: 0 }}>
                          You
                        </Badge>
                      )}
                    </Group>
                  ),
                },
                { accessor: 'email', title: 'E-mail' },
                {
                  accessor: 'role',
                  title: 'Role',
                  width: 180,
                  render: (m) =>
                    manage && m.id !== me?.user.id ? (
                      <Select
                        size="xs"
                        aria-label={`Role of ${m.name}`}
                        data={roles.map((r) => ({ value: r.code, label: r.label, disabled: !r.grantable }))}
                        disabled={!roles.find((r) => r.code === m.role)?.grantable}
                        value={m.role}
                        allowDeselect={false}
                        comboboxProps={{ withinPortal: true }}
                        onChange={(role) => role && role !== m.role && confirmRoleChange(m, role, labelOf(roles, role))}
                      />
                    ) : (
                      <Text size="sm">{labelOf(roles, m.role)}</Text>
                    ),
                },
                {
                  accessor: 'two_factor',
                  title: '2FA',
                  render: (m) =>
                    m.two_factor ? (
                      <Badge color="green" leftSection={<IconShieldCheck size={12} />}>
                        On
                      </Badge>
                    ) : (
                      <Badge color="gray">Off</Badge>
                    ),
                },
                {
                  accessor: 'last_login_at',
                  title: 'Last sign-in',
                  render: (m) =>
                    m.last_login_at ? (
                      <Tooltip label={formatDateTime(m.last_login_at)}>
                        <span>{formatRelative(m.last_login_at)}</span>
                      </Tooltip>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Never
                      </Text>
                    ),
                },
                ...(manage
                  ? [
                      {
                        accessor: 'actions',
                        title: '',
                        textAlign: 'right' as const,
                        render: (m: Member) =>
                          m.id === me?.user.id ? null : (
                            <Button size="xs" variant="subtle" color="red" onClick={() => confirmRemove(m)}>
                              Remove
                            </Button>
                          ),
                      },
                    ]
                  : []),
              ]}
            />

            <Stack gap="sm">
              <Title order={2} size="h4">
                Pending invitations
              </Title>
              {invitations.length === 0 ? (
                <EmptyPanel
                  compact
                  icon={IconMailForward}
                  title="No pending invitations"
                  description={manage ? 'Invite a colleague by e-mail; the invitation is valid for 7 days.' : 'Nobody is waiting to join.'}
                />
              ) : (
                <DataTable
                  {...tableLook}
                  aria-label="Pending invitations"
                  records={invitations}
                  columns={[
                    { accessor: 'email', title: 'E-mail' },
                    { accessor: 'role', title: 'Role', render: (i) => labelOf(roles, i.role) },
                    { accessor: 'created_at', title: 'Sent', render: (i) => formatDateTime(i.created_at) },
                    { accessor: 'expires_at', title: 'Expires', render: (i) => formatDate(i.expires_at) },
                    {
                      accessor: 'actions',
                      title: '',
                      textAlign: 'right',
                      render: (i) =>
                        manage && (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() =>
                              confirmDestructive({
                                title: `Revoke the invitation to ${i.email}?`,
                                message: 'The link in the e-mail stops working. You can invite them again later.',
                                confirmLabel: 'Revoke invitation',
                                onConfirm: () => revoke.mutate(i.id),
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
            </Stack>
            {inviting && <InviteModal roles={roles} onClose={() => setInviting(false)} onInvited={refresh} />}
          </Stack>
        )}
      </QueryView>
    </>
  );

  function confirmRoleChange(member: Member, role: string, label: string) {
    confirmAction({
      title: `Make ${member.name} ${label}?`,
      message: `${member.name} (${member.email}) will be able to do what the ${label} role allows, from their next request on.`,
      confirmLabel: 'Change role',
      onConfirm: () => changeRole.mutate({ id: member.id, role }),
    });
  }

  function confirmRemove(member: Member) {
    confirmDestructive({
      title: `Remove ${member.name} from the team?`,
      message: `${member.email} loses access at once: their sessions end and their sign-in stops working. This cannot be undone; you can invite them again.`,
      confirmLabel: 'Remove member',
      onConfirm: () => remove.mutate(member.id),
    });
  }
}
