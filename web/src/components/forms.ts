import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, problemMessage, sentence } from '../api/problem';

/**
 * Puts a failed call's field problems under the inputs they belong to and
 * returns what is left for a form-level Alert (null when every problem found
 * its field). `fields` maps the server's field names to the form's.
 *
 *   onError: (e) => setFormError(applyProblem(e, form.setError, ['email', 'password']))
 */
export function applyProblem<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  rename: Partial<Record<string, Path<T>>> = {},
): string | null {
  if (!(error instanceof ApiError) || error.fields.length === 0) return problemMessage(error);
  const unplaced: string[] = [];
  for (const problem of error.fields) {
    const field = rename[problem.field] ?? (problem.field as Path<T>);
    if (fields.includes(field)) setError(field, { type: 'server', message: sentence(problem.message) });
    else unplaced.push(`${problem.field} ${problem.message}`);
  }
  return unplaced.length > 0 ? sentence(unplaced.join('; ')) : null;
}

/** The server's rules for a new password (12 to 128 characters), shown as the hint under the field. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
export const passwordHint = `At least ${PASSWORD_MIN} characters. A few unrelated words make a strong, memorable password.`;
