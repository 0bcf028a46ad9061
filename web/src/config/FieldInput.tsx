import { type Control, Controller } from 'react-hook-form';
import { FieldControl } from './FieldControl';
import type { FieldSpec, FormValues } from './kind';
import { type RowsError, RowsInput } from './RowsInput';

interface FieldInputProps {
  spec: FieldSpec;
  control: Control<FormValues>;
  /** The currency code money fields are in. */
  currency?: string;
  /** The unit of a margin field ('percent' | 'fixed'), from its unit field. */
  unit?: string;
  readOnly?: boolean;
  /** Focus this field when the drawer opens. */
  autoFocus?: boolean;
}

/** One field of a configuration record, chosen by its type; errors show under it. */
export function FieldInput({ spec, control, currency, unit, readOnly, autoFocus }: FieldInputProps) {
  return (
    <Controller
      name={spec.name}
      control={control}
      render={({ field, fieldState }) =>
        spec.type === 'rows' ? (
          <RowsInput
            spec={spec}
            value={field.value}
            onChange={field.onChange}
            error={fieldState.error as RowsError | undefined}
            readOnly={readOnly}
            currency={currency}
          />
        ) : (
          <FieldControl
            spec={spec}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            inputRef={field.ref}
            name={field.name}
            error={fieldState.error?.message}
            readOnly={readOnly}
            currency={currency}
            unit={unit}
            autoFocus={autoFocus}
          />
        )
      }
    />
  );
}

