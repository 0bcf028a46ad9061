import { Alert, Anchor, Badge, Code, Drawer, Paper, SimpleGrid, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { IconMail, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { Fragment, type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { PAGE_SIZE, tableLook } from '../../components/tables';
import { formatDateTime } from '../../lib/format';
import type { Portal } from '../../shell/nav';

type OutboxMail = components['schemas']['OutboxMail'];

const statuses: Record<string, { label: string; color: string }> = {
  stored: { label: 'In outbox', color: 'sky' },
  sent: { label: 'Sent', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
};

function StatusBadge({ status }: { status: string }) {
  const s = statuses[status] ?? { label: status, color: 'gray' };
  return <Badge color={s.color}>{s.label}</Badge>;
}

/** "verify_email" → "Verify email". */
function templateLabel(template: string): string {
  const words = template.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Admin → System → Mail outbox: every e-mail the platform sent or kept, searchable, readable as sent. */
export function MailOutbox({ portal }: { portal: Portal }) {
  useDocumentTitle(`Mail outbox · ${portal.name} · DIDtron`);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [params, setParams] = useSearchParams();
  const openId = params.get('mail');

  const list = useQuery({
    queryKey: ['admin', 'mail-outbox', q, page],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/mail-outbox', {
          params: { query: { q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const open = (id: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id) next.set('mail', id);
        else next.delete('mail');
        return next;
      },
      { replace: !id },
    );

  return (
    <>
      <PageHeader title="Mail outbox" description="Every e-mail the platform has sent or kept, as the recipient saw it. Newest first." />
      <Stack gap="md">
        <TextInput
          placeholder="Search by recipient or subject"
          aria-label="Search mail"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
          maw={420}
        />
        <QueryView
          query={list}
          columns={5}
          rows={5}
          isEmpty={(p) => p.total === 0}
          empty={
            <EmptyPanel
              icon={IconMail}
              title={q ? 'No matching e-mail' : 'Nothing here yet'}
              description={q ? `No e-mail to or about “${q}”.` : 'Sent and queued e-mail appears here.'}
            />
          }
        >
          {(data) => (
            <DataTable
              {...tableLook}
              aria-label="Mail outbox"
              records={data.items}
              fetching={list.isFetching && list.isPlaceholderData}
              totalRecords={data.total}
              recordsPerPage={PAGE_SIZE}
              page={page}
              onPageChange={setPage}
              paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
              onRowClick={({ record }) => open(record.id)}
              rowStyle={() => ({ cursor: 'pointer' })}
              columns={[
                { accessor: 'created_at', title: 'Time', render: (m) => formatDateTime(m.created_at) },
                { accessor: 'to_address', title: 'To', render: (m) => <Text size="sm">{m.to_address}</Text> },
                {
                  accessor: 'subject',
                  title: 'Subject',
                  render: (m) => (
                    <Anchor component="button" type="button" size="sm" fw={500} ta="left" onClick={() => open(m.id)}>
                      {m.subject}
                    </Anchor>
                  ),
                },
                { accessor: 'template', title: 'Template', render: (m) => <Text size="sm">{templateLabel(m.template)}</Text> },
                { accessor: 'status', title: 'Status', render: (m) => <StatusBadge status={m.status} /> },
              ]}
            />
          )}
        </QueryView>
      </Stack>
      <MailDrawer id={openId} preview={list.data?.items.find((m) => m.id === openId)} onClose={() => open(null)} />
    </>
  );
}

/** One message with its delivery details; links in the body are clickable. */
function MailDrawer({ id, preview, onClose }: { id: string | null; preview?: OutboxMail; onClose: () => void }) {
  const mail = useQuery({
    queryKey: ['admin', 'mail-outbox', 'one', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/mail-outbox/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
    initialData: preview,
  });
  const m = mail.data;
  return (
    <Drawer opened={!!id} onClose={onClose} position="right" size="lg" title={<Text fw={600}>{m?.subject ?? 'E-mail'}</Text>}>
      {mail.isError ? (
        <Alert color="red" variant="light">
          {problemMessage(mail.error)}
        </Alert>
      ) : !m ? (
        <Stack gap="sm">
          <Skeleton height={16} width="60%" />
          <Skeleton height={16} width="40%" />
          <Skeleton height={200} />
        </Stack>
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="xs">
            <Field label="To">{m.to_address}</Field>
            <Field label="Status">
              <StatusBadge status={m.status} />
            </Field>
            <Field label="Template">
              <Code>{m.template}</Code>
            </Field>
            <Field label="Delivery">{m.transport === 'smtp' ? 'SMTP' : 'Kept in outbox (no provider set up)'}</Field>
            <Field label="Created">{formatDateTime(m.created_at)}</Field>
            <Field label="Sent">{m.sent_at ? formatDateTime(m.sent_at) : '—'}</Field>
            {m.attempts > 0 && <Field label="Attempts">{m.attempts}</Field>}
          </SimpleGrid>
          {m.last_error && (
            <Alert color="red" variant="light" title="Last error">
              {m.last_error}
            </Alert>
          )}
          <Paper withBorder p="md" radius="md" bg="var(--didtron-page-bg)">
            <Text component="div" size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="mail-body">
              <Linkified text={m.body_text} />
            </Text>
          </Paper>
        </Stack>
      )}
    </Drawer>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text component="div" size="sm">
        {children}
      </Text>
    </Stack>
  );
}

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** Plain text with its http(s) links as anchors; nothing else is interpreted. */
function Linkified({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, i) =>
        i % 2 === 1 ? (
          <Anchor key={i} href={part} target="_blank" rel="noreferrer">
            {part}
          </Anchor>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
