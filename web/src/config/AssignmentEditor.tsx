import {
  ActionIcon,
  Alert,
  Button,
  Group,
  List,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconInfoCircle, IconPlus, IconUsers, IconX } from '@tabler/icons-react';
import {
  type Assignment,
  assignmentRules,
  describeAssignments,
  isPrivate,
  type Scope,
  type ScopeKind,
} from './assignments';
import { CustomerSelect } from './CustomerSelect';
import { inSentence } from './kind';
import { useScopeDirectory } from './directory';

interface AssignmentEditorProps {
  value: Assignment[];
  onChange: (value: Assignment[]) => void;
  /** The server's or the form's message about the set. */
  error?: string;
  readOnly?: boolean;
  /** "plan", for the sentences. */
  noun: string;
}

const scopeKinds: { value: Exclude<ScopeKind, 'private'>; label: string }[] = [
  { value: 'all', label: 'All customers' },
  { value: 'category', label: 'Category' },
  { value: 'group', label: 'Group' },
  { value: 'customer', label: 'Customer' },
];

function withScope(a: Assignment, scope: Scope): Assignment {
  return { scope, exclude: scope.kind === 'all' ? false : a.exclude };
}

/**
 * Who gets a record: shared by scope (ALL, categories, groups, customers, each
 * included or excluded) or private to exactly one customer, with the rules
 * that decide between overlapping scopes beside it.
 */
export function AssignmentEditor({ value, onChange, error, readOnly, noun }: AssignmentEditorProps) {
  const { nameOf, categories, groups } = useScopeDirectory();
  const privateMode = isPrivate(value);

  const categoryOptions = categories.map((c) => ({ value: c.id, label: String(c.name) }));
  const groupOptions = categories
    .map((c) => ({
      group: String(c.name),
      items: groups.filter((g) => g.category_id === c.id).map((g) => ({ value: g.id, label: String(g.name) })),
    }))
    .filter((g) => g.items.length > 0);

  const setRow = (index: number, next: Assignment) => onChange(value.map((a, i) => (i === index ? next : a)));
  const removeRow = (index: number) => onChange(value.filter((_, i) => i !== index));
  const addRow = () => {
    const hasAll = value.some((a) => a.scope.kind === 'all');
    onChange([...value, { scope: hasAll ? { kind: 'category', id: '' } : { kind: 'all' }, exclude: hasAll }]);
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <Stack gap={2}>
          <Title order={3} size="h5">
            Who gets this {inSentence(noun)}
          </Title>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="assignment-summary">
            {describeAssignments(value, nameOf)}
          </Text>
        </Stack>
        <SegmentedControl
          size="xs"
          aria-label="Shared or private"
          disabled={readOnly}
          value={privateMode ? 'private' : 'shared'}
          onChange={(mode) => onChange(mode === 'private' ? [{ scope: { kind: 'private', id: '' } }] : [{ scope: { kind: 'all' } }])}
          data={[
            { value: 'shared', label: 'Shared by scope' },
            { value: 'private', label: 'Private to one customer' },
          ]}
        />
      </Group>

      {privateMode ? (
        <CustomerSelect
          label="Private to"
          description={`Only this customer sees and can use the ${inSentence(noun)}. A private record has exactly one assignment.`}
          withAsterisk
          disabled={readOnly}
          value={value[0]?.scope.kind === 'private' && value[0].scope.id ? value[0].scope.id : null}
          valueLabel={value[0] && value[0].scope.kind !== 'all' && value[0].scope.id ? nameOf(value[0].scope) : undefined}
          onChange={(id) => onChange([{ scope: { kind: 'private', id: id ?? '' } }])}
        />
      ) : (
        <Stack gap="xs">
          {value.length === 0 && (
            <Paper withBorder p="sm" radius="md">
              <Group gap="xs">
                <IconUsers size={16} aria-hidden />
                <Text size="sm" c="dimmed">
                  Nobody gets this {inSentence(noun)} yet. Add a scope.
                </Text>
              </Group>
            </Paper>
          )}
          {value.map((a, index) => {
            const kind = a.scope.kind === 'private' ? 'customer' : a.scope.kind;
            const id = a.scope.kind === 'all' ? null : a.scope.id || null;
            const rowLabel = `Scope ${index + 1}`;
            return (
              <Paper key={index} withBorder p="xs" radius="md" aria-label={rowLabel} role="group">
                <Group gap="xs" wrap="wrap" align="flex-start">
                  <Select
                    aria-label={`${rowLabel}: level`}
                    w={150}
                    data={scopeKinds}
                    value={kind}
                    allowDeselect={false}
                    disabled={readOnly}
                    comboboxProps={{ withinPortal: true }}
                    onChange={(k) => setRow(index, withScope(a, k === 'all' ? { kind: 'all' } : { kind: k as 'category', id: '' }))}
                  />
                  <div style={{ flex: '1 1 180px', minWidth: 0 }}>
                    {kind === 'all' ? (
                      <Text size="sm" c="dimmed" py={6}>
                        Every customer, in every category
                      </Text>
                    ) : kind === 'category' ? (
                      <Select
                        aria-label={`${rowLabel}: category`}
                        placeholder="Choose a category"
                        data={categoryOptions}
                        value={id}
                        searchable
                        disabled={readOnly}
                        comboboxProps={{ withinPortal: true }}
                        onChange={(v) => setRow(index, withScope(a, { kind: 'category', id: v ?? '' }))}
                      />
                    ) : kind === 'group' ? (
                      <Select
                        aria-label={`${rowLabel}: group`}
                        placeholder="Choose a group"
                        data={groupOptions}
                        value={id}
                        searchable
                        disabled={readOnly}
                        nothingFoundMessage="No groups yet: add them under Customers → Categories & groups"
                        comboboxProps={{ withinPortal: true }}
                        onChange={(v) => setRow(index, withScope(a, { kind: 'group', id: v ?? '' }))}
                      />
                    ) : (
                      <CustomerSelect
                        aria-label={`${rowLabel}: customer`}
                        value={id}
                        valueLabel={id ? nameOf({ kind: 'customer', id }) : undefined}
                        disabled={readOnly}
                        onChange={(v) => setRow(index, withScope(a, { kind: 'customer', id: v ?? '' }))}
                      />
                    )}
                  </div>
                  <SegmentedControl
                    aria-label={`${rowLabel}: include or exclude`}
                    value={a.exclude ? 'exclude' : 'include'}
                    onChange={(v) => setRow(index, { ...a, exclude: v === 'exclude' })}
                    disabled={readOnly || kind === 'all'}
                    color={a.exclude ? 'red' : undefined}
                    data={[
                      { value: 'include', label: 'Include' },
                      { value: 'exclude', label: 'Exclude' },
                    ]}
                  />
                  {!readOnly && (
                    <ActionIcon variant="subtle" color="gray" size={36} aria-label={`Remove scope ${index + 1}`} onClick={() => removeRow(index)}>
                      <IconX size={16} />
                    </ActionIcon>
                  )}
                </Group>
              </Paper>
            );
          })}
          {!readOnly && (
            <Group>
              <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={addRow}>
                Add scope
              </Button>
            </Group>
          )}
        </Stack>
      )}

      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}

      <Alert variant="light" color="sky" icon={<IconInfoCircle size={18} />} title="How scopes combine" p="sm">
        <List size="xs" spacing={2}>
          {assignmentRules.map((rule) => (
            <List.Item key={rule}>{rule}</List.Item>
          ))}
        </List>
      </Alert>
    </Stack>
  );
}
