import { Badge, Box, Loader, Tooltip, VisuallyHidden } from '@mantine/core';
import { useReducedMotion } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { getSyncStatus, switchKeys } from './api';
import { isInFlight, needsAttention, type RecordSyncStatus, statusLook, statusMap, syncExplanation } from './sync';

/**
 * Badge styles that keep the whole word: in a table column squeezed by its neighbours a Mantine
 * badge otherwise cuts its label to "MIS…".
 */
export const wholeBadge = { label: { overflow: 'visible' } } as const;

interface SyncBadgeProps {
  /** pending, running, synced, failed, or drift (a record's, after a reconciliation). */
  status: string;
  /** The switch's error, for a failed push (shown in the tooltip). */
  error?: string | null;
  /** The record version the status is about. */
  version?: number | null;
  /** The last version that reached the switch. */
  syncedVersion?: number | null;
  size?: 'xs' | 'sm' | 'md';
}

/**
 * Whether a record is on the switch: Pending (with a moving dot), Synced (green), Failed (red,
 * the switch's error in the tooltip) or Drift (amber: the switch changed since). The tooltip says
 * which version is where.
 *
 *   const statuses = useSyncStatus('carrier', ids);
 *   {statuses[id] && <SyncBadge {...syncBadgeProps(statuses[id])} />}
 */
export function SyncBadge({ status, error, version, syncedVersion, size = 'sm' }: SyncBadgeProps) {
  const reduceMotion = useReducedMotion();
  const look = statusLook(status);
  const dot = isInFlight(status) ? (
    reduceMotion ? (
      <Box w={6} h={6} bg="currentColor" style={{ borderRadius: '50%' }} aria-hidden />
    ) : (
      <Loader size={10} color="currentColor" aria-hidden />
    )
  ) : status === 'synced' ? (
    <IconCheck size={12} stroke={2.5} aria-hidden />
  ) : needsAttention(status) ? (
    <IconAlertTriangle size={12} stroke={2.2} aria-hidden />
  ) : undefined;
  const explanation = syncExplanation({ status, version, syncedVersion, error });
  return (
    <Tooltip label={explanation} multiline maw={360} withArrow openDelay={150}>
      <Badge
        color={look.color}
        size={size}
        leftSection={dot}
        // A failed or drifting badge takes focus, so the keyboard can open the tooltip with the error too.
        tabIndex={needsAttention(status) ? 0 : undefined}
        styles={wholeBadge}
        style={{ cursor: 'default', flexShrink: 0 }}
        data-sync-status={status}
      >
        {look.label}
        <VisuallyHidden>. {explanation}</VisuallyHidden>
      </Badge>
    </Tooltip>
  );
}

/** The props of a SyncBadge for one record's status from useSyncStatus. */
export function syncBadgeProps(s: RecordSyncStatus): SyncBadgeProps {
  return { status: s.status, error: s.last_error, version: s.version, syncedVersion: s.synced_version };
}

/**
 * The sync status of records of one kind (carrier, pop, route, rate_card), as a map from record id
 * to status; records never pushed are absent. Keeps polling every few seconds while any of them is
 * on its way to the switch.
 */
export function useSyncStatus(kind: string, ids: readonly string[], { enabled = true }: { enabled?: boolean } = {}): Record<string, RecordSyncStatus> {
  // One string for the set of ids, so a new array with the same ids neither refetches nor remaps.
  const idsKey = [...new Set(ids)].sort().join(',');
  const select = useCallback((rows: RecordSyncStatus[]) => statusMap(rows, idsKey ? idsKey.split(',') : []), [idsKey]);
  const query = useQuery({
    queryKey: switchKeys.status(kind, ids),
    queryFn: () => getSyncStatus(kind, ids),
    enabled: enabled && ids.length > 0,
    select,
    refetchInterval: (q) => (q.state.data?.some((s) => isInFlight(s.status)) ? 3000 : false),
    staleTime: 5000,
  });
  return query.data ?? empty;
}

const empty: Record<string, RecordSyncStatus> = {};
