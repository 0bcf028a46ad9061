import type { FieldErrors, Resolver } from 'react-hook-form';
import type { FormValues, KindDefinition } from './kind';
import { complete, loadKindRules } from './rules';
import { problemField, validate } from './values';

/**
 * The kind's rules (the server's, see rules.ts) as a react-hook-form
 * resolver. A cell of a rows field (`members[1].share`) nests under its
 * field, row and column, as react-hook-form keeps errors of lists.
 */
export function kindResolver(def: KindDefinition): Resolver<FormValues> {
  return async (values) => {
    await loadKindRules(def.kind);
    const problems = validate(complete(def), values);
    if (Object.keys(problems).length === 0) return { values, errors: {} };
    const errors: Record<string, Record<string | number, unknown>> = {};
    for (const [field, message] of Object.entries(problems)) {
      const { name, index, column } = problemField(field);
      const entry = (errors[name] ??= {});
      if (index !== undefined && column !== undefined) {
        const row = (entry[index] ??= {}) as Record<string, unknown>;
        row[column] = { type: 'validate', message };
      } else {
        Object.assign(entry, { type: 'validate', message });
      }
    }
    return { values: {}, errors: errors as FieldErrors<FormValues> };
  };
}
