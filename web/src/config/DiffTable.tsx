import { Table, Text } from '@mantine/core';
import type { FieldChange } from './api';
import { type DisplayContext, fieldLabel, renderValue } from './display';
import type { KindDefinition } from './kind';

interface DiffTableProps {
  def?: KindDefinition;
  diff: FieldChange[];
  /** Context for money (currency) and names. `before`/`after` contexts default to the shared one. */
  ctx: DisplayContext;
  beforeCtx?: DisplayContext;
  /** Leave out a column that would only hold dashes (a new or deleted record). */
  only?: 'before' | 'after';
}

/** Field by field, what a change does: before → after, formatted as the screens show them. */
export function DiffTable({ def, diff, ctx, beforeCtx, only }: DiffTableProps) {
  if (diff.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No field changes.
      </Text>
    );
  }
  const spec = (name: string) => def?.fields.find((f) => f.name === name);
  // The form's order, "who gets it" last; unknown fields after the known ones.
  const rank = (name: string) => {
    if (name === 'assignments') return 1000;
    const i = def?.fields.findIndex((f) => f.name === name) ?? -1;
    return i < 0 ? 500 : i;
  };
  const rows = [...diff].sort((a, b) => rank(a.field) - rank(b.field));
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table verticalSpacing={6} horizontalSpacing="sm" withTableBorder withColumnBorders={false} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="28%">Field</Table.Th>
            {only !== 'after' && <Table.Th>{only === 'before' ? 'Value' : 'Before'}</Table.Th>}
            {only !== 'before' && <Table.Th>{only === 'after' ? 'Value' : 'After'}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((change) => (
            <Table.Tr key={change.field}>
              <Table.Td fw={500}>{fieldLabel(def, change.field)}</Table.Td>
              {only !== 'after' && (
                <Table.Td c={only ? undefined : 'dimmed'}>
                  {renderValue(spec(change.field), change.before, beforeCtx ?? ctx)}
                </Table.Td>
              )}
              {only !== 'before' && <Table.Td>{renderValue(spec(change.field), change.after, ctx)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
