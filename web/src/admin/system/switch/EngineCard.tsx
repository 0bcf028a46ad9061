import { Badge, Button, Divider, Group, Loader, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconPlugConnected, IconServerBolt } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { problemMessage } from '../../../api/problem';
import { testConnection } from './api';
import type { Overview } from './sync';
import { When } from './When';

const drivers: Record<string, { name: string; about: string }> = {
  local: { name: 'Local switch', about: 'The switch is kept inside DIDtron’s own database: pushes, status and reconciliation all work, but no calls are carried.' },
  connexcs: { name: 'ConnexCS', about: 'The ConnexCS control-panel API, with the credentials from the configuration.' },
};

/** The driver, the webhook state, the counts and "Test connection". */
export function EngineCard({ overview, canManage }: { overview: Overview | undefined; canManage: boolean }) {
  const test = useMutation({ mutationFn: testConnection });
  const driver = overview ? (drivers[overview.driver] ?? { name: overview.driver, about: '' }) : undefined;
  const records = overview?.records;
  const recordsTotal = records ? records.pending + records.running + records.failed + records.synced + records.drift : 0;
  const waiting = overview ? overview.pushes.pending + overview.pushes.running : 0;
  const last = overview?.last_reconciliation;

  return (
    <Paper withBorder radius="lg" p="lg" bg="var(--didtron-surface)" data-testid="switch-engine">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
          <Group gap="md" align="flex-start" wrap="nowrap" miw={0} style={{ flex: '1 1 320px' }}>
            <ThemeIcon size={40} radius="md" variant="light" color="blue">
              <IconServerBolt size={22} />
            </ThemeIcon>
            <Stack gap={4} miw={0}>
              {driver ? (
                <Group gap="xs" wrap="wrap">
                  <Title order={2} size="h4">
                    {driver.name}
                  </Title>
                  <Badge variant="light" color="gray" tt="none" ff="monospace">
                    switch_driver = {overview?.driver}
                  </Badge>
                  <Badge variant="light" color={overview?.webhooks_enabled ? 'green' : 'gray'}>
                    Webhooks {overview?.webhooks_enabled ? 'on' : 'off'}
                  </Badge>
                </Group>
              ) : (
                <Skeleton h={22} w={220} />
              )}
              {overview?.url && (
                <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {overview.url}
                </Text>
              )}
              {driver?.about && (
                <Text size="sm" c="dimmed">
                  {driver.about}
                </Text>
              )}
            </Stack>
          </Group>
          {canManage && (
            <Stack gap={6} align="flex-end" style={{ flex: '0 1 auto' }} maw="100%">
              <Button variant="default" leftSection={<IconPlugConnected size={16} />} onClick={() => test.mutate()} loading={test.isPending}>
                Test connection
              </Button>
            </Stack>
          )}
        </Group>

        {(test.data || test.isError) && (
          <Group gap="xs" wrap="nowrap" role="status" aria-live="polite" data-testid="connection-result" align="flex-start">
            {test.data?.ok ? (
              <>
                <ThemeIcon color="green" variant="light" size="sm" radius="xl">
                  <IconCircleCheck size={14} />
                </ThemeIcon>
                <Text size="sm" c="green">
                  {test.data.message} · {test.data.millis} ms
                </Text>
              </>
            ) : (
              <>
                <ThemeIcon color="red" variant="light" size="sm" radius="xl">
                  <IconCircleX size={14} />
                </ThemeIcon>
                <Text size="sm" c="red">
                  {test.data ? `Could not connect: ${test.data.message} · ${test.data.millis} ms` : problemMessage(test.error)}
                </Text>
              </>
            )}
          </Group>
        )}

        <Divider />

        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="md">
          <Stat label="Records in step">
            {records ? (
              <>
                {records.synced}
                <Text span size="sm" c="dimmed" fw={400}>
                  {' '}
                  of {recordsTotal}
                </Text>
              </>
            ) : undefined}
          </Stat>
          <Stat label="Pushes waiting">
            {overview ? (
              <Group gap={8} wrap="nowrap">
                <span>{waiting}</span>
                {waiting > 0 && <Loader size={14} />}
              </Group>
            ) : undefined}
          </Stat>
          <Stat label="Records failing" color={records && records.failed > 0 ? 'red' : undefined}>
            {records ? (
              <>
                {records.failed}
                {records.drift > 0 && (
                  <Text span size="sm" c="amber" fw={500} data-testid="records-drifting">
                    {' '}
                    · {records.drift} drifting
                  </Text>
                )}
              </>
            ) : undefined}
          </Stat>
          <Stat label="Last reconciliation">
            {overview === undefined ? undefined : last ? (
              <Stack gap={0}>
                <Text span size="sm" fw={500}>
                  <When at={last.created_at} />
                </Text>
                <Text span size="xs" c={last.status === 'failed' ? 'red' : last.status === 'done' && last.drift_count > 0 ? 'amber' : 'dimmed'} fw={400} title={last.id}>
                  {last.status === 'running'
                    ? 'running…'
                    : last.status === 'failed'
                      ? 'failed'
                      : last.drift_count === 0
                        ? 'no drift'
                        : `${last.drift_count} ${last.drift_count === 1 ? 'difference' : 'differences'}`}
                </Text>
              </Stack>
            ) : (
              <Text span size="sm" c="dimmed" fw={400}>
                Not run yet
              </Text>
            )}
          </Stat>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

/** A number with its label: "Pushes waiting 3". Loading shows a bar. */
function Stat({ label, color, children }: { label: string; color?: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">
        {label}
      </Text>
      {children === undefined ? (
        <Skeleton h={24} w={60} />
      ) : (
        <Text component="div" fz={22} fw={600} c={color} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {children}
        </Text>
      )}
    </Stack>
  );
}
