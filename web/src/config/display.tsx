import { Badge, Code, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { type Assignment, type NameOf, scopePhrase } from './assignments';
import { useAllRecords } from './directory';
import { type FieldSpec, type KindDefinition, recordTitle } from './kind';
import { asMarginUnit, formatMargin } from './margin';
import { formatMoney, formatRate, microToDecimal } from './money';

/** What rendering a value may need besides itself: the rest of the record (its currency) and names. */
export interface DisplayContext {
  record?: Record<string, unknown> | null;
  nameOf: NameOf;
}

const dash = (
  <Text span c="dimmed" size="sm">
    —
  </Text>
);

function isAssignmentList(value: unknown): value is Assignment[] {
  return Array.isArray(value) && value.every((a) => typeof a === 'object' && a !== null && 'scope' in a);
}

/** A value of a field, as people read it: money with its currency, flags as Yes/No, statuses as badges. */
export function renderValue(spec: FieldSpec | undefined, value: unknown, ctx: DisplayContext): ReactNode {
  if (value === null || value === undefined || value === '') return dash;
  if (!spec) {
    if (isAssignmentList(value)) return <AssignmentChips assignments={value} nameOf={ctx.nameOf} />;
    return typeof value === 'object' ? <Code>{JSON.stringify(value)}</Code> : String(value);
  }
  switch (spec.type) {
    case 'money': {
      if (typeof value !== 'number') return String(value);
      const currency = String(ctx.record?.[spec.currencyField ?? 'currency'] ?? 'USD');
      return (
        <Text span size="sm" ff="monospace">
          {spec.noCurrency ? `${microToDecimal(value, 4)}/min` : spec.rate ? formatRate(value, currency) : formatMoney(value, currency)}
        </Text>
      );
    }
    case 'margin': {
      if (typeof value !== 'number') return String(value);
      const currency = String(ctx.record?.[spec.currencyField ?? 'currency'] ?? 'USD');
      return (
        <Text span size="sm" ff="monospace">
          {formatMargin(asMarginUnit(ctx.record?.[spec.unitField]), value, currency)}
        </Text>
      );
    }
    case 'rows': {
      const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
      if (rows.length === 0) return dash;
      if (spec.display) return spec.display(rows, ctx.record);
      // One line per row, its cells as the form's columns read; a line wraps between cells only.
      return (
        <Stack gap={2}>
          {rows.map((row, i) => (
            <Text key={i} size="sm">
              {spec.fields.map((sub, j) => (
                <span key={sub.name} style={{ whiteSpace: 'nowrap' }}>
                  {j > 0 && (
                    <Text span c="dimmed">
                      {' · '}
                    </Text>
                  )}
                  {renderValue(sub, row[sub.name], { ...ctx, record: { ...ctx.record, ...row } })}
                </span>
              ))}
            </Text>
          ))}
        </Stack>
      );
    }
    case 'percent':
      return `${String(value)} %`;
    case 'number':
      return (
        <Text span size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {typeof value === 'number' && spec.grouping ? value.toLocaleString() : String(value)}
          {spec.suffix ? ` ${spec.suffix}` : ''}
        </Text>
      );
    case 'flag':
      return value === true ? 'Yes' : 'No';
    case 'select': {
      const option = spec.options.find((o) => o.value === String(value));
      if (!option) return String(value);
      return option.color ? <Badge color={option.color}>{option.label}</Badge> : option.label;
    }
    case 'list':
      if (!Array.isArray(value) || value.length === 0) return dash;
      return (
        <Group gap={4} wrap="wrap">
          {value.map((v) => (
            <Badge key={String(v)} color="gray" variant="light" tt="none" fw={500}>
              {String(v)}
            </Badge>
          ))}
        </Group>
      );
    case 'reference':
      if (spec.kind === 'group' || spec.kind === 'category') return ctx.nameOf({ kind: spec.kind, id: String(value) });
      return <RecordName kind={spec.kind} id={String(value)} />;
    case 'code':
      return (
        <Text span size="sm" ff="monospace">
          {String(value)}
        </Text>
      );
    default:
      return String(value);
  }
}

/** The name of a record of any kind, from the kind's list (its id, shortened, until that loads or when it is gone). */
export function RecordName({ kind, id }: { kind: string; id: string }) {
  const name = useRecordName(kind);
  return <>{name(id)}</>;
}

/** Names of the records of one kind by id, for lists that show references. */
export function useRecordName(kind: string) {
  const records = useAllRecords(kind);
  return (id: string | null | undefined): string => {
    if (!id) return '';
    const found = records.data?.items.find((r) => r.id === id);
    return found ? recordTitle({}, found) : id.length > 10 ? `${id.slice(0, 8)}…` : id;
  };
}

/** Each scope as a chip: "All customers", "Except category Individual", "Private: Acme". */
export function AssignmentChips({ assignments, nameOf }: { assignments: Assignment[]; nameOf: NameOf }) {
  if (assignments.length === 0) {
    return (
      <Text span size="sm" c="dimmed">
        Nobody
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="wrap">
      {assignments.map((a) => {
        const phrase = scopePhrase(a.scope, nameOf);
        const label = a.scope.kind === 'private' ? `Private: ${nameOf(a.scope)}` : a.exclude ? `Except ${phrase}` : phrase;
        return (
          <Badge
            key={`${a.scope.kind}:${a.scope.kind === 'all' ? '' : a.scope.id}:${a.exclude ? 1 : 0}`}
            color={a.exclude ? 'red' : a.scope.kind === 'private' ? 'violet' : 'blue'}
            variant="light"
            tt="none"
            fw={500}
          >
            {label.charAt(0).toUpperCase() + label.slice(1)}
          </Badge>
        );
      })}
    </Group>
  );
}

/** The label of a field in a diff; `assignments` reads "Who gets it". */
export function fieldLabel(def: Pick<KindDefinition, 'fields'> | undefined, name: string): string {
  if (name === 'assignments') return 'Who gets it';
  const spec = def?.fields.find((f) => f.name === name);
  if (spec) return spec.label;
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
