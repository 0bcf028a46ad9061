import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconLayoutDashboard } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { Link } from 'react-router';
import { sentence } from '../../api/problem';
import { can } from '../../auth/permissions';
import { useMe } from '../../auth/useMe';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { tableLook } from '../../components/tables';
import { navItems, type Portal } from '../../shell/nav';
import { listAttention, switchKeys } from '../system/switch/api';
import { SyncBadge } from '../system/switch/SyncBadge';
import { kindLabel } from '../system/switch/sync';
import { When } from '../system/switch/When';

const SHOWN = 50;

/**
 * Admin → Dashboard: exceptions that need an operator. For now the switch's: records whose push
 * failed for good (after its retries) and records the switch drifted from, each with what went
 * wrong and the way to the switch sync screen to push it again.
 */
export function AdminDashboard({ portal }: { portal: Portal }) {
  const item = navItems(portal).find((i) => i.path === '');
  useDocumentTitle(`${item?.label ?? 'Dashboard'} · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const mayRead = can(me, 'config.read');
  const page = { limit: SHOWN, offset: 0 };
  const attention = useQuery({
    queryKey: switchKeys.attention(page),
    queryFn: () => listAttention(page),
    enabled: mayRead,
    refetchInterval: 30_000,
  });
  const switchHref = `${portal.basePath}/system/switch`;
  const nothing = <EmptyPanel icon={item?.icon ?? IconLayoutDashboard} title="Nothing needs you" description={item?.empty ?? 'When something needs an operator, it shows up here first.'} />;

  return (
    <>
      <PageHeader title={item?.label ?? 'Dashboard'} description={item?.summary} />
      {!mayRead ? (
        nothing
      ) : (
        <QueryView query={attention} columns={4} isEmpty={(d) => d.total === 0} empty={nothing}>
          {(data) => (
            <Paper withBorder radius="lg" p="lg" bg="var(--didtron-surface)" data-testid="switch-exceptions">
              <Stack gap="sm">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Stack gap={2}>
                    <Title order={2} size="h4">
                      Switch: {data.total} {data.total === 1 ? 'record is' : 'records are'} not in step
                    </Title>
                    <Text size="sm" c="dimmed">
                      Pushes that failed after their retries, and records the switch was changed behind. Push each one again once the cause is fixed.
                    </Text>
                  </Stack>
                  <Anchor component={Link} to={switchHref} size="sm" fw={600}>
                    Open switch sync
                  </Anchor>
                </Group>
                <DataTable
                  {...tableLook}
                  aria-label="Switch exceptions"
                  records={data.items}
                  idAccessor={(r) => `${r.record_kind}/${r.record_id}`}
                  columns={[
                    {
                      accessor: 'title',
                      title: 'Record',
                      render: (r) => (
                        <Group gap={6} wrap="nowrap" miw={0}>
                          <Text span size="sm" c="dimmed">
                            {kindLabel(r.record_kind)} ·
                          </Text>
                          <Text span size="sm" fw={500} truncate title={r.record_id}>
                            {r.title}
                          </Text>
                        </Group>
                      ),
                    },
                    { accessor: 'status', title: 'Status', render: (r) => <SyncBadge status={r.status} error={r.problem} /> },
                    {
                      accessor: 'problem',
                      title: 'What went wrong',
                      render: (r) => (
                        <Text size="sm" lineClamp={2} maw={420} title={r.problem ?? undefined} style={{ whiteSpace: 'normal' }}>
                          {r.problem ? sentence(r.problem) : '—'}
                        </Text>
                      ),
                    },
                    { accessor: 'since', title: 'Since', render: (r) => <When at={r.since} /> },
                    {
                      accessor: 'open',
                      title: '',
                      textAlign: 'right',
                      render: (r) => (
                        <Anchor component={Link} to={`${switchHref}?tab=${r.status === 'drift' ? 'reconciliation' : 'queue'}`} size="sm">
                          {r.status === 'drift' ? 'See the drift' : 'See the push'}
                        </Anchor>
                      ),
                    },
                  ]}
                />
                {data.total > data.items.length && (
                  <Text size="sm" c="dimmed">
                    And {data.total - data.items.length} more on the switch sync screen.
                  </Text>
                )}
              </Stack>
            </Paper>
          )}
        </QueryView>
      )}
    </>
  );
}
