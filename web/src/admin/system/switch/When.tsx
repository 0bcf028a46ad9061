import { Text, Tooltip } from '@mantine/core';
import { formatDateTime, formatRelative } from '../../../lib/format';

/** "5 minutes ago", the exact time in a tooltip; a dash when there is none. */
export function When({ at }: { at: string | null | undefined }) {
  if (!at) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Tooltip label={formatDateTime(at)} openDelay={150}>
      <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
        {formatRelative(at)}
      </Text>
    </Tooltip>
  );
}
