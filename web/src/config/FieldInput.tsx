import { NumberInput, Select, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { type Control, Controller } from 'react-hook-form';
import { useAllRecords } from './directory';
import type { FieldSpec, FormValues } from './kind';
import { recordTitle } from './kind';

interface FieldInputProps {
  spec: FieldSpec;
  control: Control<FormValues>;
  /** The currency code money fields are in. */
  currency?: string;
  readOnly?: boolean;
}

const unit = (text: string) => (
  <Text size="xs" c="dimmed" ff="monospace" pr={4}>
    {text}
  </Text>
);

/** One field of a configuration record, chosen by its type; errors show under it. */
export function FieldInput({ spec, control, currency = 'USD', readOnly }: FieldInputProps) {
  return (
    <Controller
      name={spec.name}
      control={control}
      render={({ field, fieldState }) => {
        const common = {
          label: spec.label,
          description: spec.description,
          placeholder: spec.placeholder,
          error: fieldState.error?.message,
          withAsterisk: spec.required || spec.type === 'code',
          disabled: readOnly,
          onBlur: field.onBlur,
          name: field.name,
          // Hints under the input keep inputs side by side aligned whatever their hint's length.
          inputWrapperOrder: ['label', 'input', 'description', 'error'] as ('label' | 'input' | 'description' | 'error')[],
        };
        switch (spec.type) {
          case 'textarea':
            return <Textarea {...common} ref={field.ref} autosize minRows={2} maxRows={6} value={String(field.value ?? '')} onChange={(e) => field.onChange(e.currentTarget.value)} />;
          case 'number':
          case 'percent':
            return (
              <NumberInput
                {...common}
                ref={field.ref}
                value={field.value as number | string}
                onChange={(v) => field.onChange(v)}
                allowDecimal={false}
                allowNegative={false}
                min={spec.type === 'percent' ? 0 : spec.min}
                max={spec.type === 'percent' ? 100 : spec.max}
                clampBehavior="none"
                thousandSeparator={spec.type === 'number' && spec.grouping ? ',' : undefined}
                rightSection={spec.type === 'percent' ? unit('%') : spec.suffix ? unit(spec.suffix) : undefined}
                rightSectionWidth={spec.type === 'number' && spec.suffix ? 44 : undefined}
                placeholder={spec.placeholder ?? (spec.type === 'number' && spec.optional ? 'None' : undefined)}
              />
            );
          case 'money':
            return (
              <NumberInput
                {...common}
                ref={field.ref}
                value={field.value as string}
                onChange={(v) => field.onChange(v === '' ? '' : String(v))}
                decimalScale={6}
                allowNegative={false}
                thousandSeparator=","
                hideControls
                inputMode="decimal"
                rightSection={unit(currency || 'USD')}
                rightSectionWidth={48}
                description={spec.description ?? (spec.rate ? `Per minute, up to 6 decimals.` : undefined)}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
            );
          case 'flag':
            return (
              <Switch
                ref={field.ref}
                label={spec.label}
                description={spec.description}
                checked={field.value === true}
                onChange={(e) => field.onChange(e.currentTarget.checked)}
                disabled={readOnly}
                error={fieldState.error?.message}
                mt={4}
              />
            );
          case 'select':
            return (
              <Select
                {...common}
                ref={field.ref}
                data={spec.options.map((o) => ({ value: o.value, label: o.label }))}
                value={(field.value as string) || null}
                onChange={(v) => field.onChange(v ?? '')}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
            );
          case 'list':
            return (
              <TagsInput
                {...common}
                ref={field.ref}
                value={(field.value as string[]) ?? []}
                onChange={(v) => field.onChange(spec.normalize ? v.map((x) => spec.normalize!(x.trim())) : v)}
                data={spec.suggestions}
                splitChars={[',', ';']}
                acceptValueOnBlur
                clearable
                description={spec.description ?? 'Press Enter or type a comma after each entry.'}
                comboboxProps={{ withinPortal: true }}
              />
            );
          case 'reference':
            return <ReferenceSelect spec={spec} value={field.value as string | null} onChange={field.onChange} common={common} />;
          default:
            return (
              <TextInput
                {...common}
                ref={field.ref}
                value={String(field.value ?? '')}
                onChange={(e) => field.onChange(e.currentTarget.value)}
                description={spec.description ?? (spec.type === 'code' ? 'Letters, digits, _ and -. Stays when the name changes.' : undefined)}
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
      }}
    />
  );
}

interface ReferenceSelectProps {
  spec: Extract<FieldSpec, { type: 'reference' }>;
  value: string | null;
  onChange: (value: string | null) => void;
  common: { label: string; description?: string; error?: string; withAsterisk?: boolean; disabled?: boolean };
}

/** A record of another kind, by name. */
function ReferenceSelect({ spec, value, onChange, common }: ReferenceSelectProps) {
  const records = useAllRecords(spec.kind);
  const data = (records.data?.items ?? []).map((r) => ({ value: r.id, label: recordTitle({}, r) }));
  return (
    <Select
      {...common}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      nothingFoundMessage={records.isPending ? 'Loading…' : 'Nothing found'}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
