import { Alert, Badge, Button, Group, List, Modal, Paper, Select, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowRight, IconMinus, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { refreshConfiguration } from '../../config/api';
import { type Customer, useAllRecords } from '../../config/directory';

type Offering = components['schemas']['Offering'];

function OfferingList({ title, items, sign }: { title: string; items: Offering[]; sign: 'gain' | 'loss' }) {
  const color = sign === 'gain' ? 'green' : 'red';
  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap={6}>
        <Group gap={6}>
          {sign === 'gain' ? <IconPlus size={14} color={`var(--mantine-color-${color}-6)`} /> : <IconMinus size={14} color={`var(--mantine-color-${color}-6)`} />}
          <Title order={3} size="h6">
            {title} ({items.length})
          </Title>
        </Group>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing
          </Text>
        ) : (
          <List size="sm" spacing={2} listStyleType="none">
            {items.map((o) => (
              <List.Item key={`${o.kind}:${o.id}`}>
                <Badge color={color} variant="light" size="sm" mr={6} tt="none">
                  {o.kind_label}
                </Badge>
                {o.name}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * Moves a customer to another category and group, after showing what they
 * would gain and lose (offerings assigned by category or group).
 */
export function MoveCustomerModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [categoryId, setCategoryId] = useState<string | null>(customer.category_id ?? null);
  const [groupId, setGroupId] = useState<string | null>(customer.group_id ?? null);
  const categories = useAllRecords('category');
  const groups = useAllRecords('group');
  const groupOptions = (groups.data?.items ?? []).filter((g) => g.category_id === categoryId).map((g) => ({ value: g.id, label: String(g.name) }));
  const unchanged = categoryId === (customer.category_id ?? null) && groupId === (customer.group_id ?? null);
  const body = { category_id: categoryId ?? '', group_id: groupId };

  const preview = useQuery({
    queryKey: ['customers', customer.id, 'move-preview', body],
    queryFn: async () => unwrap(await api.POST('/api/v1/customers/{id}/move/preview', { params: { path: { id: customer.id } }, body })),
    enabled: !!categoryId && !unchanged,
  });
  const move = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/customers/{id}/move', { params: { path: { id: customer.id } }, body })),
    onSuccess: async (r) => {
      await refreshConfiguration(queryClient);
      notifications.show({ color: 'green', message: `${customer.name} moved to ${r.to_category}${r.to_group ? ` / ${r.to_group}` : ''}` });
      onClose();
    },
  });

  return (
    <Modal opened onClose={onClose} title={`Move ${customer.name}`} size="lg" centered>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Now in {customer.category_name ?? 'no category'}
          {customer.group_name ? ` / ${customer.group_name}` : ''}. Offerings assigned by category or group follow the customer’s new place.
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <Select
            label="Category"
            withAsterisk
            data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: String(c.name) }))}
            value={categoryId}
            onChange={(v) => {
              setCategoryId(v);
              setGroupId(null);
            }}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label="Group"
            placeholder={groupOptions.length === 0 ? 'This category has no groups' : 'No group'}
            data={groupOptions}
            value={groupId}
            onChange={setGroupId}
            clearable
            disabled={groupOptions.length === 0}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>

        {unchanged ? (
          <Text size="sm" c="dimmed">
            Choose another category or group to see what changes.
          </Text>
        ) : preview.isPending ? (
          <Skeleton height={96} radius="md" />
        ) : preview.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {problemMessage(preview.error)}
          </Alert>
        ) : (
          <Stack gap="sm" aria-label="What changes">
            <Group gap="xs" wrap="wrap">
              <Text size="sm" fw={500}>
                {preview.data.from_category ?? 'No category'}
                {preview.data.from_group ? ` / ${preview.data.from_group}` : ''}
              </Text>
              <IconArrowRight size={14} aria-label="to" />
              <Text size="sm" fw={500}>
                {preview.data.to_category}
                {preview.data.to_group ? ` / ${preview.data.to_group}` : ''}
              </Text>
            </Group>
            <SimpleGrid cols={{ base: 1, xs: 2 }}>
              <OfferingList title="Gains" items={preview.data.gains} sign="gain" />
              <OfferingList title="Loses" items={preview.data.losses} sign="loss" />
            </SimpleGrid>
          </Stack>
        )}

        {move.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {problemMessage(move.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => move.mutate()} loading={move.isPending} disabled={unchanged || !preview.isSuccess}>
            Move customer
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
