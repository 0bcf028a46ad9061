import { ActionIcon, Button, Input, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { FieldError } from 'react-hook-form';
import { FieldControl } from './FieldControl';
import type { RowsField } from './kind';
import { emptyRow } from './values';

/** The error of a rows field: a message for the whole list and, by row index, one per column. */
export type RowsError = FieldError & Record<number, Record<string, FieldError | undefined> | undefined>;

interface RowsInputProps {
  spec: RowsField;
  value: unknown;
  onChange: (rows: Record<string, unknown>[]) => void;
  error?: RowsError;
  readOnly?: boolean;
  /** The currency of money and fixed-margin columns. */
  currency?: string;
}

/**
 * A list of objects as a small table: one typed input per column, a row per
 * entry, add and remove. Each cell shows its own problem (`members[1].share`
 * from the server lands under row 2's share); problems of the whole list
 * (shares that do not add up) show under the table.
 */
export function RowsInput({ spec, value, onChange, error, readOnly, currency }: RowsInputProps) {
  const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const full = spec.max !== undefined && rows.length >= spec.max;
  const set = (index: number, column: string, v: unknown) => onChange(rows.map((r, i) => (i === index ? { ...r, [column]: v } : r)));
  const remove = (index: number) => onChange(rows.filter((_, i) => i !== index));
  return (
    <Input.Wrapper
      label={spec.label}
      description={spec.description}
      withAsterisk={spec.required}
      error={error?.message}
      inputWrapperOrder={['label', 'description', 'input', 'error']}
      role="group"
      aria-label={spec.label}
    >
      <Stack gap="xs" mt={spec.description ? 6 : 4}>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" py={6}>
            {spec.emptyText ?? `No ${spec.rowNoun} yet.`}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={140 * spec.fields.length + 48} type="native">
            <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing={4} layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  {spec.fields.map((sub) => (
                    <Table.Th key={sub.name} fz="xs" fw={600} c="dimmed" w={sub.type === 'flag' ? 90 : undefined}>
                      {sub.label}
                      {sub.required && (
                        <Text span c="red" aria-hidden>
                          {' *'}
                        </Text>
                      )}
                    </Table.Th>
                  ))}
                  {!readOnly && <Table.Th w={40} aria-label="Remove" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row, i) => (
                  <Table.Tr key={i} aria-label={`${spec.rowNoun} ${i + 1}`}>
                    {spec.fields.map((sub) => (
                      <Table.Td key={sub.name} style={{ verticalAlign: 'top' }}>
                        <FieldControl
                          spec={{ ...sub, label: `${sub.label} (${spec.rowNoun} ${i + 1})` }}
                          value={row[sub.name]}
                          onChange={(v) => set(i, sub.name, v)}
                          error={error?.[i]?.[sub.name]?.message}
                          readOnly={readOnly}
                          currency={currency}
                          unit={sub.type === 'margin' ? String(row[sub.unitField] ?? '') : undefined}
                          bare
                        />
                      </Table.Td>
                    ))}
                    {!readOnly && (
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <ActionIcon variant="subtle" color="gray" size={36} aria-label={`Remove ${spec.rowNoun} ${i + 1}`} onClick={() => remove(i)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {!readOnly && (
          <div>
            <Button variant="default" size="xs" leftSection={<IconPlus size={14} />} disabled={full} onClick={() => onChange([...rows, emptyRow(spec)])}>
              Add {spec.rowNoun}
            </Button>
          </div>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
