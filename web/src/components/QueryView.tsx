import { Alert, Button, Paper, Skeleton, Stack, Table } from '@mantine/core';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { problemMessage } from '../api/problem';

interface QueryViewProps<T> {
  query: UseQueryResult<T>;
  /** Columns of the skeleton shown on the first load. */
  columns?: number;
  rows?: number;
  /** When true for the data, `empty` shows instead of `children`. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * The three states of a list: skeleton rows while it first loads (never a
 * spinner over a blank page), the server's message with "Try again" when it
 * fails, the empty state when there is nothing yet, and the data otherwise.
 */
export function QueryView<T>({ query, columns = 4, rows = 3, isEmpty, empty, children }: QueryViewProps<T>) {
  if (query.isPending) return <TableSkeleton columns={columns} rows={rows} />;
  if (query.isError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Could not load this list">
        <Stack gap="sm" align="flex-start">
          {problemMessage(query.error)}
          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={() => query.refetch()}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (isEmpty?.(query.data) && empty) return empty;
  return children(query.data);
}

/** Grey bars where rows will be: the shape of the table before its data. */
export function TableSkeleton({ columns = 4, rows = 3 }: { columns?: number; rows?: number }) {
  return (
    <Paper withBorder bg="var(--didtron-surface)" aria-busy="true" aria-label="Loading">
      <Table verticalSpacing="sm" horizontalSpacing="md">
        <Table.Thead>
          <Table.Tr>
            {Array.from({ length: columns }, (_, i) => (
              <Table.Th key={i}>
                <Skeleton height={10} width="50%" radius="sm" />
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Array.from({ length: rows }, (_, r) => (
            <Table.Tr key={r} h={44}>
              {Array.from({ length: columns }, (_, c) => (
                <Table.Td key={c}>
                  <Skeleton height={12} width={c === 0 ? '70%' : '55%'} radius="sm" />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
