import { Badge, Card, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { QueryView } from '../../components/QueryView';
import { configRoot } from '../../config/api';

type CategoryStat = components['schemas']['CategoryStat'];

/** Under the config root, so any category or group change refreshes it. */
export const dashboardKey = [...configRoot, 'dashboard'] as const;

const SignupChart = lazy(() => import('./SignupChart'));

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="md" radius="lg" bg="var(--didtron-surface)" style={{ flex: '1 1 160px' }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text fz={28} fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value.toLocaleString()}
      </Text>
    </Paper>
  );
}

function CategoryCard({ stat }: { stat: CategoryStat }) {
  const signups = stat.signups.reduce((sum, d) => sum + d.count, 0);
  const data = stat.signups.map((d) => ({ day: dayFormat.format(new Date(`${d.day}T00:00:00`)), count: d.count }));
  return (
    <Card component="article" aria-label={`Category ${stat.name}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Title order={3} size="h4" lineClamp={1}>
            {stat.name}
          </Title>
          {stat.is_public ? <Badge color="green">On sign-up</Badge> : <Badge color="gray">Hidden</Badge>}
        </Group>
        <Group gap={6} align="baseline">
          <Text fz={28} fw={600} lh={1} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {stat.customers.toLocaleString()}
          </Text>
          <Text size="sm" c="dimmed">
            {stat.customers === 1 ? 'customer' : 'customers'}
          </Text>
        </Group>
        <Stack gap={2} role="group" aria-label="Customers per group">
          {stat.groups.map((g) => (
            <Group key={g.id} justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" truncate>
                {g.name}
              </Text>
              <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {g.customers.toLocaleString()}
              </Text>
            </Group>
          ))}
          {(stat.groups.length > 0 || stat.ungrouped > 0) && (
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed" fs="italic">
                No group
              </Text>
              <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {stat.ungrouped.toLocaleString()}
              </Text>
            </Group>
          )}
        </Stack>
        <Stack gap={4}>
          <Suspense fallback={<Skeleton h={56} radius="sm" />}>
            <SignupChart data={data} label={`Sign-ups per day in ${stat.name}, last 30 days`} />
          </Suspense>
          <Text size="xs" c="dimmed">
            {signups === 0 ? 'No sign-ups' : `${signups.toLocaleString()} ${signups === 1 ? 'sign-up' : 'sign-ups'}`} in the last 30 days
          </Text>
        </Stack>
      </Stack>
    </Card>
  );
}

/** Customers per category and group, and sign-ups per day over 30 days. */
export function CategoryDashboard() {
  const dashboard = useQuery({
    queryKey: dashboardKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/categories/dashboard')),
  });
  if (dashboard.isPending) {
    return (
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} height={220} radius="lg" />
        ))}
      </SimpleGrid>
    );
  }
  return (
    <QueryView query={dashboard}>
      {(d) => (
        <Stack gap="lg">
          <Group gap="lg" wrap="wrap">
            <Stat label="Customers" value={d.total_customers} />
            <Stat label="Categories" value={d.categories.length} />
            <Stat label="In no category" value={d.uncategorized} />
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
            {d.categories.map((c) => (
              <CategoryCard key={c.id} stat={c} />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </QueryView>
  );
}
