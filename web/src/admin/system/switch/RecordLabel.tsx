import { Group, Skeleton, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../api/problem';
import { configKeys, getRecord, listVersions } from '../../../config/api';
import { switchRoot } from './api';
import { kindLabel, recordTitle, shortId } from './sync';

/**
 * "Carrier · ACME Voice": a synced record named from the configuration API (shared with the
 * configuration screens' cache), "Carrier · 01a212bb… (deleted)" once the record is gone.
 */
export function RecordLabel({ kind, id, withKind = true }: { kind: string; id: string; withKind?: boolean }) {
  const record = useQuery({
    queryKey: configKeys.record(kind, id),
    queryFn: () => getRecord(kind, id),
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  const gone = record.error instanceof ApiError && record.error.status === 404;
  // A deleted record keeps its history: its last version names what it was.
  const last = useQuery({
    queryKey: [...switchRoot, 'deleted-record', kind, id],
    queryFn: () => listVersions(kind, id, 0, 1),
    enabled: gone,
    staleTime: Infinity,
    retry: false,
  });
  const before = last.data?.items[0];
  const formerName = before ? recordTitle(before.snapshot ?? before.previous, '') : '';
  return (
    <Group gap={6} wrap="nowrap" miw={0}>
      {withKind && (
        <Text span size="sm" c="dimmed" style={{ flexShrink: 0 }}>
          {kindLabel(kind)} ·
        </Text>
      )}
      {record.isPending ? (
        <Skeleton h={12} w={90} radius="sm" />
      ) : gone && formerName ? (
        <Tooltip label={`Deleted in DIDtron; id ${id}`}>
          <Text span size="sm" c="dimmed" truncate>
            {formerName} (deleted)
          </Text>
        </Tooltip>
      ) : gone || record.isError ? (
        <Tooltip label={gone ? `Deleted in DIDtron; id ${id}` : `Could not load the name; id ${id}`}>
          <Text span size="sm" ff="monospace" c="dimmed">
            {shortId(id)}
            {gone && ' (deleted)'}
          </Text>
        </Tooltip>
      ) : (
        <Text span size="sm" fw={500} truncate title={id}>
          {recordTitle(record.data, id)}
        </Text>
      )}
    </Group>
  );
}
