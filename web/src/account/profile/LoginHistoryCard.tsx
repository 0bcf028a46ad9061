import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { EmptyPanel } from '../../components/EmptyPanel';
import { QueryView } from '../../components/QueryView';
import { tableLook } from '../../components/tables';
import { describeUserAgent, formatDateTime } from '../../lib/format';
import { SectionCard } from './SectionCard';

const HISTORY_PAGE = 10;

/** Why a sign-in did not go through, in words (the server's `reason`). */
const reasons: Record<string, { label: string; color: string }> = {
  wrong_password: { label: 'Wrong password', color: 'red' },
  wrong_totp: { label: 'Wrong code', color: 'red' },
  totp_required: { label: 'Code requested', color: 'sky' },
  locked: { label: 'Account locked', color: 'amber' },
  email_not_verified: { label: 'E-mail not verified', color: 'amber' },
  disabled: { label: 'Account disabled', color: 'red' },
};

/** Every sign-in attempt on the account, newest first, a page at a time. */
export function LoginHistoryCard() {
  const [page, setPage] = useState(1);
  const history = useQuery({
    queryKey: ['account', 'login-history', page],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/me/login-history', { params: { query: { limit: HISTORY_PAGE, offset: (page - 1) * HISTORY_PAGE } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <SectionCard title="Sign-in history" description="Every attempt to sign in to your account, successful or not.">
      <QueryView
        query={history}
        columns={4}
        rows={3}
        isEmpty={(p) => p.total === 0}
        empty={<EmptyPanel compact icon={IconHistory} description="No sign-ins recorded yet." />}
      >
        {(data) => (
          <DataTable
            {...tableLook}
            aria-label="Sign-in history"
            records={data.items}
            fetching={history.isFetching && history.isPlaceholderData}
            totalRecords={data.total}
            recordsPerPage={HISTORY_PAGE}
            page={page}
            onPageChange={setPage}
            paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
            columns={[
              { accessor: 'created_at', title: 'Time', render: (a) => formatDateTime(a.created_at) },
              { accessor: 'ip', title: 'IP address', render: (a) => <Text size="sm" ff="monospace">{a.ip}</Text> },
              {
                accessor: 'user_agent',
                title: 'Browser',
                render: (a) => (
                  <Tooltip label={a.user_agent || 'No browser information'} multiline maw={360}>
                    <span>{describeUserAgent(a.user_agent)}</span>
                  </Tooltip>
                ),
              },
              {
                accessor: 'success',
                title: 'Result',
                render: (a) => {
                  if (a.success) return <Badge color="green">Signed in</Badge>;
                  const reason = reasons[a.reason ?? ''];
                  if (reason?.color === 'sky') return <Badge color="sky">{reason.label}</Badge>;
                  return (
                    <Group gap={6} wrap="nowrap">
                      <Badge color="red">Failed</Badge>
                      {a.reason && (
                        <Badge color={reason?.color ?? 'gray'} variant="outline">
                          {reason?.label ?? a.reason.replaceAll('_', ' ')}
                        </Badge>
                      )}
                    </Group>
                  );
                },
              },
            ]}
          />
        )}
      </QueryView>
    </SectionCard>
  );
}
