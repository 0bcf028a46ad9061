import { Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { IconArrowsExchange, IconSearch, IconUsers } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { can } from '../../auth/permissions';
import { useMe } from '../../auth/useMe';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { PAGE_SIZE, tableLook } from '../../components/tables';
import { type Customer, customersKey, searchCustomers, useAllRecords } from '../../config/directory';
import { paginationText } from '../../config/pagination';
import { formatDate } from '../../lib/format';
import type { Portal } from '../../shell/nav';
import { MoveCustomerModal } from './MoveCustomerModal';

const statusColor: Record<string, string> = { active: 'green', pending: 'amber', suspended: 'red', closed: 'gray' };

/** Every customer account with its category and group; moving one shows what it gains and loses. */
export function CustomersPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Customers · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const canMove = can(me, 'customers.manage');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [groupId, setGroupId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [moving, setMoving] = useState<Customer | null>(null);
  const categories = useAllRecords('category');
  const groups = useAllRecords('group');

  const params = {
    q: q || undefined,
    category_id: categoryId ?? undefined,
    group_id: groupId ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const customers = useQuery({
    queryKey: [...customersKey, 'list', params],
    queryFn: () => searchCustomers(params),
    placeholderData: keepPreviousData,
  });
  const groupOptions = (groups.data?.items ?? [])
    .filter((g) => !categoryId || g.category_id === categoryId)
    .map((g) => ({ value: g.id, label: String(g.name) }));
  const filtering = !!q || !!categoryId || !!groupId;

  return (
    <>
      <PageHeader title="Customers" description="Every customer account, its category and group." />
      <Stack gap="md">
        <Group gap="sm" wrap="wrap">
          <TextInput
            aria-label="Search customers"
            placeholder="Search customers by name"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            style={{ flex: '1 1 240px', maxWidth: 420 }}
          />
          <Select
            aria-label="Category"
            placeholder="Every category"
            data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: String(c.name) }))}
            value={categoryId}
            onChange={(v) => {
              setCategoryId(v);
              setGroupId(null);
              setPage(1);
            }}
            clearable
            w={200}
          />
          <Select
            aria-label="Group"
            placeholder="Every group"
            data={groupOptions}
            value={groupId}
            onChange={(v) => {
              setGroupId(v);
              setPage(1);
            }}
            clearable
            disabled={groupOptions.length === 0}
            w={200}
          />
        </Group>
        <QueryView
          query={customers}
          columns={6}
          isEmpty={(d) => d.total === 0 && !filtering}
          empty={<EmptyPanel icon={IconUsers} description="Customers appear here when they sign up or when you create one." />}
        >
          {(data) => (
            <DataTable
              {...tableLook}
              aria-label="Customers"
              records={data.items}
              fetching={customers.isFetching && customers.isPlaceholderData}
              totalRecords={data.total}
              recordsPerPage={PAGE_SIZE}
              page={page}
              onPageChange={setPage}
              paginationText={paginationText}
              noRecordsText="No customer matches"
              minHeight={data.items.length === 0 ? 160 : 0}
              columns={[
                { accessor: 'name', title: 'Name', render: (c) => <Text size="sm" fw={500}>{c.name}</Text> },
                {
                  accessor: 'status',
                  title: 'Status',
                  render: (c) => <Badge color={statusColor[c.status] ?? 'gray'}>{c.status.charAt(0).toUpperCase() + c.status.slice(1)}</Badge>,
                },
                { accessor: 'category_name', title: 'Category', render: (c) => c.category_name ?? <Text span c="dimmed" size="sm">None</Text> },
                { accessor: 'group_name', title: 'Group', render: (c) => c.group_name ?? <Text span c="dimmed" size="sm">—</Text> },
                { accessor: 'users', title: 'Users', textAlign: 'right', width: 80 },
                { accessor: 'created_at', title: 'Since', render: (c) => formatDate(c.created_at) },
                ...(canMove
                  ? [
                      {
                        accessor: 'actions',
                        title: '',
                        textAlign: 'right' as const,
                        render: (c: Customer) => (
                          <Button size="xs" variant="subtle" leftSection={<IconArrowsExchange size={14} />} onClick={() => setMoving(c)} aria-label={`Move ${c.name}`}>
                            Move
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </QueryView>
      </Stack>
      {moving && <MoveCustomerModal customer={moving} onClose={() => setMoving(null)} />}
    </>
  );
}
