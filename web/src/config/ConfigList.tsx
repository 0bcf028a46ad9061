import { SyncBadge, syncBadgeProps, useSyncStatus } from '../admin/system/switch/SyncBadge';
import { ActionIcon, Button, Group, Menu, Select, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Icon } from '@tabler/icons-react';
import {
  IconArrowDown,
  IconArrowUp,
  IconDots,
  IconEye,
  IconHistory,
  IconPencil,
  IconPlus,
  IconSearch,
  IconTrash,
} from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { type ReactNode, useState } from 'react';
import { problemMessage } from '../api/problem';
import { can } from '../auth/permissions';
import { useMe } from '../auth/useMe';
import { EmptyPanel } from '../components/EmptyPanel';
import { PageHeader } from '../components/PageHeader';
import { QueryView } from '../components/QueryView';
import { PAGE_SIZE, tableLook } from '../components/tables';
import { applyChange, configKeys, listRecords, refreshConfiguration } from './api';
import { describeAssignments } from './assignments';
import { useAllRecords, useScopeDirectory } from './directory';
import { renderValue } from './display';
import { HistoryDrawer } from './HistoryDrawer';
import { capitalize, type ConfigRecord, fieldOf, inSentence, type KindDefinition, recordTitle } from './kind';
import { paginationText } from './pagination';
import { RecordDrawer } from './RecordDrawer';
import { movePriority } from './reorder';
import { useChangeFlow } from './useChangeFlow';

interface ConfigListProps {
  def: KindDefinition;
  title: string;
  description?: ReactNode;
  /** `page`: the screen's h1 with the create button in the page header; `section`: an h2 inside a screen. */
  heading: 'page' | 'section';
  icon: Icon;
  /** The empty state's sentence: how to get the first record. */
  empty: string;
}

/**
 * The list of one kind of configuration record, and everything done from it:
 * search, filter, pagination, create, edit, history, delete and reordering.
 */
export function ConfigList({ def, title, description, heading, icon, empty }: ConfigListProps) {
  const { me } = useMe();
  const canWrite = can(me, def.write);
  const queryClient = useQueryClient();
  const { nameOf } = useScopeDirectory();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [filterValue, setFilterValue] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<ConfigRecord | 'new' | null>(null);
  const [historyOf, setHistoryOf] = useState<ConfigRecord | null>(null);
  const pageSize = def.pageSize ?? PAGE_SIZE;

  const params = {
    q: q || undefined,
    filter: def.filter && filterValue ? `${def.filter.field}:${filterValue}` : undefined,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  const list = useQuery({
    queryKey: configKeys.list(def.kind, params),
    queryFn: () => listRecords(def.kind, params),
    placeholderData: keepPreviousData,
  });
  const syncStatus = useSyncStatus(def.kind, (list.data?.items ?? []).map((r) => r.id), { enabled: !!def.synced });
  const filterOptions = useAllRecords(def.filter?.kind ?? 'category', !!def.filter);

  const deletion = useChangeFlow(def);
  async function startDelete(record: ConfigRecord) {
    try {
      await deletion.review({ operation: 'delete', id: record.id, expected_version: record.version }, { record, nameOf });
    } catch (e) {
      notifications.show({ color: 'red', title: `Could not delete ${def.noun} ${recordTitle(def, record)}`, message: problemMessage(e) });
    }
  }

  const ordering = def.ordering;
  const reorder = useMutation({
    mutationFn: async ({ index, direction }: { index: number; direction: -1 | 1 }) => {
      const rows = list.data?.items ?? [];
      const field = ordering!.field;
      const changes = movePriority(
        rows.map((r) => ({ id: r.id, priority: Number(r[field] ?? 0) })),
        index,
        direction,
      );
      for (const c of changes) {
        const row = rows.find((r) => r.id === c.id)!;
        await applyChange(def.kind, { operation: 'update', id: c.id, fields: { [field]: c.priority }, expected_version: row.version });
      }
    },
    // Refreshed before the toast, so the list shows the new order when it says so.
    onSuccess: async () => {
      await refreshConfiguration(queryClient);
      notifications.show({ color: 'green', message: `${capitalize(def.noun)} order saved` });
    },
    onError: async (e) => {
      await refreshConfiguration(queryClient);
      notifications.show({ color: 'red', title: 'Could not change the order', message: problemMessage(e) });
    },
  });
  const canReorder = !!ordering && canWrite && !q && !filterValue && page === 1;

  // One primary action per view: a section inside a screen offers its create button as a secondary one.
  const createButton = canWrite && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} variant={heading === 'page' ? 'filled' : 'default'}>
      New {def.noun}
    </Button>
  );

  const columns: DataTableColumn<ConfigRecord>[] = [];
  if (canReorder) {
    columns.push({
      accessor: 'order',
      title: <VisuallyHidden>Order</VisuallyHidden>,
      width: 84,
      render: (r, index) => (
        <Group gap={2} wrap="nowrap" onClick={(e) => e.stopPropagation()}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Move ${recordTitle(def, r)} up`}
            disabled={index === 0 || reorder.isPending}
            onClick={() => reorder.mutate({ index, direction: -1 })}
          >
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Move ${recordTitle(def, r)} down`}
            disabled={index === (list.data?.items.length ?? 0) - 1 || reorder.isPending}
            onClick={() => reorder.mutate({ index, direction: 1 })}
          >
            <IconArrowDown size={16} />
          </ActionIcon>
        </Group>
      ),
    });
  }
  for (const col of def.columns) {
    const c = typeof col === 'string' ? { field: col } : col;
    const spec = fieldOf(def, c.field);
    columns.push({
      accessor: c.field,
      title: c.title ?? spec?.label ?? c.field,
      width: c.width,
      render: (r) => (c.render ? c.render(r) : renderValue(spec, r[c.field], { record: r, nameOf })),
    });
  }
  if (def.assigned) {
    columns.push({
      accessor: 'assignments',
      title: 'Who gets it',
      render: (r) => (
        <Text size="sm" lineClamp={2}>
          {describeAssignments(r.assignments ?? [], nameOf)}
        </Text>
      ),
    });
  }
  if (def.synced) {
    columns.push({
      accessor: 'switch_sync',
      title: 'Switch',
      width: 110,
      render: (r) => {
        const s = syncStatus[r.id];
        return s ? (
          <SyncBadge {...syncBadgeProps(s)} size="sm" />
        ) : (
          <Text size="xs" c="dimmed">
            Not pushed
          </Text>
        );
      },
    });
  }
  columns.push({
    accessor: 'actions',
    title: <VisuallyHidden>Actions</VisuallyHidden>,
    textAlign: 'right',
    width: 64,
    render: (r) => (
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${recordTitle(def, r)}`} onClick={(e) => e.stopPropagation()}>
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
          <Menu.Item leftSection={canWrite ? <IconPencil size={14} /> : <IconEye size={14} />} onClick={() => setEditing(r)}>
            {canWrite ? 'Edit' : 'View'}
          </Menu.Item>
          <Menu.Item leftSection={<IconHistory size={14} />} onClick={() => setHistoryOf(r)}>
            History
          </Menu.Item>
          {canWrite && (
            <>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => startDelete(r)}>
                Delete…
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
    ),
  });

  const filtering = !!q || !!filterValue || !!search;
  const showToolbar = filtering || (list.data?.total ?? 0) > 0;

  const toolbar = showToolbar && (
    <Group gap="sm" wrap="wrap">
      <TextInput
        aria-label={`Search ${inSentence(def.plural)}`}
        placeholder={`Search ${inSentence(def.plural)} by name or code`}
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
        style={{ flex: '1 1 240px', maxWidth: 420 }}
      />
      {def.filter && (
        <Select
          aria-label={def.filter.label}
          placeholder={`Every ${def.filter.label.toLowerCase()}`}
          data={(filterOptions.data?.items ?? []).map((r) => ({ value: r.id, label: recordTitle({}, r) }))}
          value={filterValue}
          onChange={(v) => {
            setFilterValue(v);
            setPage(1);
          }}
          clearable
          w={220}
        />
      )}
    </Group>
  );

  return (
    <>
      {heading === 'page' && <PageHeader title={title} description={description} actions={createButton} />}
      <Stack gap="md">
        {heading === 'section' && (
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <Stack gap={2}>
              <Title order={2} size="h3">
                {title}
              </Title>
              {description && (
                <Text size="sm" c="dimmed">
                  {description}
                </Text>
              )}
            </Stack>
            {createButton}
          </Group>
        )}
        {toolbar}
        <QueryView
          query={list}
          columns={Math.min(columns.length, 6)}
          isEmpty={(data) => data.total === 0 && !filtering}
          empty={<EmptyPanel icon={icon} description={empty} action={createButton || undefined} compact={heading === 'section'} />}
        >
          {(data) => (
            <DataTable
              {...tableLook}
              aria-label={def.plural}
              records={data.items}
              columns={columns}
              fetching={list.isFetching && list.isPlaceholderData}
              onRowClick={({ record }) => setEditing(record)}
              totalRecords={data.total}
              recordsPerPage={pageSize}
              page={page}
              onPageChange={setPage}
              paginationText={paginationText}
              noRecordsText={`No ${inSentence(def.plural)} match`}
              minHeight={data.items.length === 0 ? 160 : 0}
            />
          )}
        </QueryView>
      </Stack>

      {editing && (
        <RecordDrawer
          def={def}
          record={editing === 'new' ? null : editing}
          preset={def.filter && filterValue ? { [def.filter.field]: filterValue } : undefined}
          canWrite={canWrite}
          onClose={() => setEditing(null)}
          onHistory={(r) => {
            setEditing(null);
            setHistoryOf(r);
          }}
        />
      )}
      {historyOf && <HistoryDrawer def={def} record={historyOf} canWrite={canWrite} onClose={() => setHistoryOf(null)} />}
      {deletion.modal}
    </>
  );
}
