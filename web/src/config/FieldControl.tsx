import { NumberInput, Select, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import type { Ref } from 'react';
import { useAllRecords } from './directory';
import type { FieldSpec } from './kind';
import { recordTitle } from './kind';
import { asMarginUnit } from './margin';

const unitText = (text: string) => (
  <Text size="xs" c="dimmed" ff="monospace" pr={4}>
    {text}
  </Text>
);

export interface FieldControlProps {
  spec: Exclude<FieldSpec, { type: 'rows' }>;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur?: () => void;
  inputRef?: Ref<HTMLInputElement>;
  name?: string;
  error?: string;
  readOnly?: boolean;
  currency?: string;
  unit?: string;
  /** Inside a table: the label is only read out (aria-label), no hint, compact. */
  bare?: boolean;
  /** The control a dialog focuses when it opens (Mantine's focus trap looks for data-autofocus). */
  autoFocus?: boolean;
}

/** The input for one value of a field spec, without the form around it (forms and table cells share it). */
export function FieldControl({ spec, value, onChange, onBlur, inputRef, name, error, readOnly, currency = 'USD', unit, bare, autoFocus }: FieldControlProps) {
  const common = {
    'data-autofocus': autoFocus || undefined,
    label: bare ? undefined : spec.label,
    'aria-label': bare ? spec.label : undefined,
    description: bare ? undefined : spec.description,
    placeholder: spec.placeholder,
    error,
    withAsterisk: !bare && (spec.required || spec.type === 'code'),
    disabled: readOnly,
    onBlur,
    name,
    // Hints under the input keep inputs side by side aligned whatever their hint's length.
    inputWrapperOrder: ['label', 'input', 'description', 'error'] as ('label' | 'input' | 'description' | 'error')[],
  };
  switch (spec.type) {
    case 'textarea':
      return <Textarea {...common} ref={inputRef as Ref<HTMLTextAreaElement>} autosize minRows={2} maxRows={6} value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'number':
    case 'percent':
      return (
        <NumberInput
          {...common}
          ref={inputRef}
          value={value as number | string}
          onChange={(v) => onChange(v)}
          allowDecimal={false}
          allowNegative={false}
          min={spec.type === 'percent' ? 0 : spec.min}
          max={spec.type === 'percent' ? 100 : spec.max}
          clampBehavior="none"
          thousandSeparator={spec.type === 'number' && spec.grouping ? ',' : undefined}
          rightSection={spec.type === 'percent' ? unitText('%') : spec.suffix ? unitText(spec.suffix) : undefined}
          rightSectionWidth={spec.type === 'number' && spec.suffix && spec.suffix.length > 1 ? 44 : undefined}
          placeholder={spec.placeholder ?? (spec.type === 'number' && spec.optional ? 'None' : undefined)}
          hideControls={bare}
        />
      );
    case 'money':
    case 'margin': {
      const percent = spec.type === 'margin' && asMarginUnit(unit) === 'percent';
      const negative = spec.type === 'margin' ? spec.bounds[asMarginUnit(unit)][0] < 0 : (spec.min ?? 0) < 0;
      const suffix = percent ? '%' : spec.type === 'money' && spec.noCurrency ? '/min' : currency || 'USD';
      return (
        <NumberInput
          {...common}
          ref={inputRef}
          value={value as string}
          onChange={(v) => onChange(v === '' ? '' : String(v))}
          decimalScale={6}
          allowNegative={negative}
          thousandSeparator=","
          hideControls
          inputMode="decimal"
          rightSection={unitText(suffix)}
          rightSectionWidth={48}
          description={bare ? undefined : (spec.description ?? (spec.type === 'money' && spec.rate ? `Per minute, up to 6 decimals.` : undefined))}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
      );
    }
    case 'flag':
      return (
        <Switch
          ref={inputRef}
          label={bare ? undefined : spec.label}
          aria-label={bare ? spec.label : undefined}
          description={bare ? undefined : spec.description}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
          disabled={readOnly}
          error={error}
          mt={bare ? 8 : 4}
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          ref={inputRef}
          data={spec.options.map((o) => ({ value: o.value, label: o.label }))}
          value={(value as string) || null}
          onChange={(v) => onChange(v ?? '')}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      );
    case 'list':
      return (
        <TagsInput
          {...common}
          ref={inputRef}
          value={(value as string[]) ?? []}
          onChange={(v) => onChange(spec.normalize ? v.map((x) => spec.normalize!(x.trim())) : v)}
          data={spec.suggestions}
          splitChars={[',', ';']}
          acceptValueOnBlur
          clearable
          description={spec.description ?? 'Press Enter or type a comma after each entry.'}
          comboboxProps={{ withinPortal: true }}
        />
      );
    case 'reference':
      return <ReferenceSelect spec={spec} value={value as string | null} onChange={onChange} common={common} inputRef={inputRef} />;
    default:
      return (
        <TextInput
          {...common}
          ref={inputRef}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.currentTarget.value)}
          description={bare ? undefined : (spec.description ?? (spec.type === 'code' ? 'Letters, digits, _ and -. Stays when the name changes.' : undefined))}
          autoCapitalize={spec.type === 'code' ? 'none' : undefined}
          spellCheck={spec.type === 'code' ? false : undefined}
          styles={{
            input: {
              fontFamily: spec.type === 'code' || (spec.type === 'text' && spec.monospace) ? 'var(--mantine-font-family-monospace)' : undefined,
              textTransform: spec.type === 'text' && spec.case === 'upper' ? 'uppercase' : undefined,
            },
          }}
        />
      );
  }
}

interface ReferenceSelectProps {
  spec: Extract<FieldSpec, { type: 'reference' }>;
  value: string | null;
  onChange: (value: string | null) => void;
  common: { label?: string; 'aria-label'?: string; description?: string; error?: string; withAsterisk?: boolean; disabled?: boolean; placeholder?: string };
  inputRef?: Ref<HTMLInputElement>;
}

/** A record of another kind, by name; an optional one can be cleared. */
function ReferenceSelect({ spec, value, onChange, common, inputRef }: ReferenceSelectProps) {
  const records = useAllRecords(spec.kind);
  const data = (records.data?.items ?? []).map((r) => ({ value: r.id, label: recordTitle({}, r) }));
  // A stored id that is not (yet) listed keeps showing instead of vanishing.
  if (value && !records.isPending && !data.some((d) => d.value === value)) data.unshift({ value, label: value });
  return (
    <Select
      {...common}
      ref={inputRef}
      data={data}
      value={value || null}
      onChange={onChange}
      searchable
      clearable={!spec.required}
      nothingFoundMessage={records.isPending ? 'Loading…' : 'Nothing found'}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
