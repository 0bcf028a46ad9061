import { Alert, Badge, Group, List, Paper, ScrollArea, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconUsers } from '@tabler/icons-react';
import type { Preview } from './api';
import type { DisplayContext } from './display';
import { DiffTable } from './DiffTable';
import { SwitchCalls } from './SwitchCalls';
import { capitalize, type KindDefinition } from './kind';

export const operationLabel: Record<string, { label: string; color: string }> = {
  create: { label: 'New', color: 'green' },
  update: { label: 'Change', color: 'sky' },
  delete: { label: 'Delete', color: 'red' },
  rollback: { label: 'Rollback', color: 'amber' },
};

interface ChangePreviewProps {
  preview: Preview;
  def?: KindDefinition;
  ctx: DisplayContext;
  beforeCtx?: DisplayContext;
}

/** What a change will do before it is pushed: blockers, the field diff, the customers it reaches and the switch calls. */
export function ChangePreview({ preview, def, ctx, beforeCtx }: ChangePreviewProps) {
  const op = operationLabel[preview.operation] ?? { label: preview.operation, color: 'gray' };
  const customers = preview.affected_customers;
  return (
    <Stack gap="md">
      <Group gap="xs" wrap="nowrap">
        <Badge color={op.color}>{op.label}</Badge>
        <Text fw={600} size="sm" truncate>
          {capitalize(def?.noun ?? preview.kind)} {preview.title}
        </Text>
        {preview.blockers.length === 0 && (
          <Text size="xs" c="dimmed" ml="auto" style={{ whiteSpace: 'nowrap' }}>
            {preview.operation === 'delete' ? `Recorded as version ${preview.next_version}` : `Becomes version ${preview.next_version}`}
          </Text>
        )}
      </Group>

      {preview.blockers.length > 0 && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="This change cannot be pushed">
          <List size="sm" spacing={4}>
            {preview.blockers.map((b) => (
              <List.Item key={b}>{b.charAt(0).toUpperCase() + b.slice(1)}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      <Stack gap={6}>
        <Title order={3} size="h5">
          {preview.operation === 'delete' ? 'What is deleted' : 'What changes'}
        </Title>
        <DiffTable
          def={def}
          diff={preview.diff}
          ctx={ctx}
          beforeCtx={beforeCtx}
          only={preview.operation === 'create' ? 'after' : preview.operation === 'delete' ? 'before' : undefined}
        />
      </Stack>

      <Stack gap={6}>
        <Group gap={6}>
          <IconUsers size={16} aria-hidden />
          <Title order={3} size="h5">
            {preview.affected_count === 0
              ? 'No customer’s service changes'
              : `${preview.affected_count} ${preview.affected_count === 1 ? 'customer’s' : 'customers’'} service changes`}
          </Title>
        </Group>
        {customers.length > 0 && (
          <Paper withBorder p="xs" radius="md">
            <ScrollArea.Autosize mah={140} type="auto">
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} verticalSpacing={2} aria-label="Affected customers">
                {customers.map((c) => (
                  <Text key={c.id} size="sm" truncate>
                    {c.name}
                  </Text>
                ))}
              </SimpleGrid>
              {preview.affected_count > customers.length && (
                <Text size="xs" c="dimmed" mt={4}>
                  and {preview.affected_count - customers.length} more
                </Text>
              )}
            </ScrollArea.Autosize>
          </Paper>
        )}
      </Stack>

      {preview.switch_calls != null && preview.blockers.length === 0 && <SwitchCalls calls={preview.switch_calls} />}
    </Stack>
  );
}
