import { Badge, Code, Group, Paper, Spoiler, Stack, Text, Title } from '@mantine/core';
import { IconServer2 } from '@tabler/icons-react';
import type { components } from '../api/schema';

type PlannedCall = components['schemas']['PlannedCall'];

const methodColor: Record<string, string> = { POST: 'green', PUT: 'sky', DELETE: 'red' };

/** The dry run of a change's switch push: the exact calls it would make, in order. Nothing is sent. */
export function SwitchCalls({ calls }: { calls: PlannedCall[] }) {
  return (
    <Stack gap={6}>
      <Group gap={6}>
        <IconServer2 size={16} aria-hidden />
        <Title order={3} size="h5">
          {calls.length === 0 ? 'Nothing changes on the switch' : `On the switch: ${calls.length} ${calls.length === 1 ? 'call' : 'calls'}, in this order`}
        </Title>
      </Group>
      {calls.length > 0 && (
        <Paper withBorder p="xs" radius="md">
          <Stack gap={6} aria-label="Switch calls">
            {calls.map((c, i) => (
              <Stack key={`${c.method} ${c.path} ${i}`} gap={2}>
                <Group gap={6} wrap="nowrap">
                  <Badge variant="light" color={methodColor[c.method] ?? 'gray'} w={72} style={{ textTransform: 'none' }}>
                    {c.method}
                  </Badge>
                  <Code style={{ overflowWrap: 'anywhere' }}>{c.path}</Code>
                </Group>
                {c.body != null && (
                  <Spoiler maxHeight={0} showLabel="Show body" hideLabel="Hide body" styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}>
                    <Code block>{JSON.stringify(c.body, null, 2)}</Code>
                  </Spoiler>
                )}
              </Stack>
            ))}
          </Stack>
        </Paper>
      )}
      <Text size="xs" c="dimmed">
        A dry run: nothing has been sent. The push runs once the change is saved, and is undone on the switch if a step fails.
      </Text>
    </Stack>
  );
}
