import { Badge, Code, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { sentence } from '../../../api/problem';
import { JsonBlock } from './JsonBlock';
import { type Call, callFailed, callLook, purposeLook } from './sync';
import { wholeBadge } from './SyncBadge';
import { When } from './When';

/** "POST carrier/01a2…/ip", method in bold, the path as sent. */
export function CallLine({ method, path }: { method: string; path: string }) {
  return (
    <Text span size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
      <Text span inherit fw={700}>
        {method}
      </Text>{' '}
      {path}
    </Text>
  );
}

/** The HTTP status a call got: green 2xx, red errors, "No answer" when the switch never answered. */
export function CallStatusBadge({ call }: { call: Pick<Call, 'status' | 'error'> }) {
  const look = callLook(call);
  return (
    <Badge color={look.color} variant="light" ff="monospace" tt="none" styles={wholeBadge}>
      {look.label}
    </Badge>
  );
}

/** One call to the switch: what was sent, what came back, how long it took, and the error. */
export function CallDetail({ call, withHeader = true }: { call: Call; withHeader?: boolean }) {
  const purpose = purposeLook(call.purpose);
  const failed = callFailed(call);
  return (
    <Paper withBorder p="sm" radius="md" bg="var(--didtron-surface)" data-testid="switch-call">
      <Stack gap="xs">
        {withHeader && (
          <Group gap="xs" wrap="wrap" justify="space-between">
            <Group gap="xs" wrap="nowrap" miw={0}>
              <Badge color={purpose.color} variant="light" size="sm" styles={wholeBadge}>
                {purpose.label}
              </Badge>
              <CallLine method={call.method} path={call.path} />
            </Group>
            <Group gap="sm" wrap="nowrap">
              <CallStatusBadge call={call} />
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {call.millis} ms · attempt {call.attempt}
              </Text>
              <When at={call.created_at} />
            </Group>
          </Group>
        )}
        {call.error && (
          <Text size="sm" c="red">
            {sentence(call.error)}
          </Text>
        )}
        {!call.error && failed && (
          <Text size="sm" c="red">
            The switch answered with HTTP {call.status}.
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <JsonBlock label="Request" value={call.request} />
          <JsonBlock label="Response" value={call.response} defaultOpen={failed} />
        </SimpleGrid>
        {!withHeader && call.push_id && (
          <Text size="xs" c="dimmed">
            Push <Code>{call.push_id}</Code> · call <Code>{call.id}</Code> · {call.driver} driver
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
