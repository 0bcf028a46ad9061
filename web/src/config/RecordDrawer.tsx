import { Alert, Badge, Button, Divider, Drawer, Group, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconHistory } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { ApiError, problemMessage, sentence } from '../api/problem';
import { formatDateTime } from '../lib/format';
import type { Change } from './api';
import { configRoot } from './api';
import { normalizeAssignments } from './assignments';
import { AssignmentEditor } from './AssignmentEditor';
import { useScopeDirectory, usePeople } from './directory';
import { FieldInput } from './FieldInput';
import { capitalize, type ConfigRecord, type FormValues, type KindDefinition, recordTitle } from './kind';
import { useChangeFlow } from './useChangeFlow';
import { kindResolver } from './resolver';
import { changedAssignments, changedFields, emptyValues, fieldsFromValues, isVisible, problemField, valuesFromRecord } from './values';

interface RecordDrawerProps {
  def: KindDefinition;
  /** The record to edit; null for a new one. */
  record: ConfigRecord | null;
  /** Values a new record starts with (e.g. the category a group list is filtered on). */
  preset?: Record<string, unknown>;
  canWrite: boolean;
  onClose: () => void;
  onHistory?: (record: ConfigRecord) => void;
}

/**
 * Create or edit one record of any kind: its fields, who gets it, then
 * Save → review (diff, affected customers, blockers) → Push now or Save as draft.
 */
export function RecordDrawer({ def, record, preset, canWrite, onClose, onHistory }: RecordDrawerProps) {
  const queryClient = useQueryClient();
  const { nameOf } = useScopeDirectory();
  const personName = usePeople();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    defaultValues: record ? valuesFromRecord(def, record) : emptyValues(def, preset),
    resolver: kindResolver(def),
  });
  const fieldNames = new Set([...def.fields.map((f) => f.name), 'assignments']);

  /** Puts the server's field problems under their inputs; true when all of them found a place. */
  function placeProblems(error: unknown): boolean {
    if (!(error instanceof ApiError)) return false;
    if (error.status === 409) {
      void queryClient.invalidateQueries({ queryKey: configRoot });
      setFormError(problemMessage(error));
      return true;
    }
    if (error.fields.length === 0) return false;
    const unplaced: string[] = [];
    const shown = form.getValues();
    for (const p of error.fields) {
      const { name, index, column } = problemField(p.field);
      const spec = def.fields.find((f) => f.name === name);
      if (spec?.type === 'rows' && index !== undefined && column !== undefined && isVisible(spec, shown)) {
        form.setError(`${name}.${index}.${column}`, { type: 'server', message: sentence(p.message) });
      } else if (fieldNames.has(name) && (!spec || isVisible(spec, shown))) {
        const label = name === 'assignments' ? 'Scope' : 'Entry';
        form.setError(name, { type: 'server', message: sentence(index !== undefined ? `${label} ${index + 1}: ${p.message}` : p.message) });
      } else unplaced.push(`${p.field} ${p.message}`);
    }
    setFormError(unplaced.length > 0 ? sentence(unplaced.join('; ')) : null);
    return true;
  }

  const flow = useChangeFlow(def, { onDone: onClose, onError: placeProblems });

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    let change: Change;
    if (record) {
      change = {
        operation: 'update',
        id: record.id,
        fields: changedFields(def, record, values),
        assignments: changedAssignments(def, record, values),
        expected_version: record.version,
      };
      if (Object.keys(change.fields ?? {}).length === 0 && !change.assignments) {
        notifications.show({ color: 'gray', message: 'Nothing to save: no field was changed' });
        return;
      }
    } else {
      change = {
        operation: 'create',
        fields: fieldsFromValues(def, values),
        assignments: def.assigned ? normalizeAssignments(values.assignments ?? []) : undefined,
      };
    }
    const after = { ...(record ?? {}), ...fieldsFromValues(def, values) };
    try {
      await flow.review(change, { record: after, nameOf }, { record, nameOf });
    } catch (e) {
      if (!placeProblems(e)) setFormError(problemMessage(e));
    }
  });

  const values = form.watch();
  const title = record ? recordTitle(def, record) : '';
  const tabs = record ? (def.tabs ?? []).filter((t) => !t.when || t.when(record)) : [];
  const details = (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {formError}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
          {def.fields
            .filter((spec) => isVisible(spec, values))
            .map((spec, index) => (
              <div key={spec.name} style={spec.half ? undefined : { gridColumn: '1 / -1' }}>
                <FieldInput
                  spec={spec}
                  control={form.control}
                  readOnly={!canWrite}
                  // Opens on the first field, ready to type; read-only, on the × (Mantine's default).
                  autoFocus={index === 0 && canWrite}
                  currency={String(values[spec.type === 'money' || spec.type === 'margin' ? (spec.currencyField ?? 'currency') : 'currency'] || 'USD').toUpperCase()}
                  unit={spec.type === 'margin' ? String(values[spec.unitField] ?? '') : undefined}
                />
              </div>
            ))}
        </SimpleGrid>
        {def.assigned && (
          <>
            <Divider />
            <Controller
              name="assignments"
              control={form.control}
              render={({ field, fieldState }) => (
                <AssignmentEditor
                  value={field.value ?? []}
                  onChange={(v) => {
                    field.onChange(v);
                    form.clearErrors('assignments');
                  }}
                  error={fieldState.error?.message}
                  readOnly={!canWrite}
                  noun={def.noun}
                />
              )}
            />
          </>
        )}
        {record && (
          <Text size="xs" c="dimmed">
            Version {record.version} · last changed {formatDateTime(record.updated_at)} by {personName(record.updated_by)}
          </Text>
        )}
        <Group
          justify="space-between"
          gap="sm"
          pos="sticky"
          bottom={0}
          py="sm"
          bg="var(--mantine-color-body)"
          style={{ borderTop: '1px solid var(--didtron-border)', zIndex: 2 }}
        >
          {record && onHistory ? (
            <Button variant="subtle" leftSection={<IconHistory size={16} />} onClick={() => onHistory(record)}>
              History
            </Button>
          ) : (
            <span />
          )}
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              {canWrite ? 'Cancel' : 'Close'}
            </Button>
            {canWrite && (
              <Button type="submit" loading={form.formState.isSubmitting}>
                {record ? 'Save…' : `Create ${def.noun}…`}
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </form>
  );

  return (
    <>
      <Drawer
        opened
        onClose={onClose}
        position="right"
        size={680}
        title={
          <>
            {record ? `${capitalize(def.noun)} ${title}` : `New ${def.noun}`}
            {record && (
              <Badge color="gray" ml="xs" style={{ verticalAlign: 'middle' }}>
                v{record.version}
              </Badge>
            )}
          </>
        }
        styles={{ title: { fontWeight: 600, fontSize: 'var(--mantine-font-size-lg)' } }}
      >
        {record && tabs.length > 0 ? (
          <Tabs defaultValue="details">
            <Tabs.List mb="md">
              <Tabs.Tab value="details">Details</Tabs.Tab>
              {tabs.map((t) => (
                <Tabs.Tab key={t.value} value={t.value}>
                  {t.label}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="details">{details}</Tabs.Panel>
            {tabs.map((t) => (
              <Tabs.Panel key={t.value} value={t.value}>
                {t.render(record, canWrite)}
              </Tabs.Panel>
            ))}
          </Tabs>
        ) : (
          details
        )}
      </Drawer>
      {flow.modal}
    </>
  );
}
