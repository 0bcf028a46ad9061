/**
 * Every DIDtron error response is a "problem": `{status, code, message,
 * fields?}`. These helpers turn one into a thrown ApiError, which is what
 * TanStack Query expects from a failing query or mutation.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string;
  message: string;
  fields?: FieldProblem[];
}

/** A failed API call, carrying the server's problem so screens can show it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];

  constructor(problem: Problem) {
    super(problem.message);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.fields = problem.fields ?? [];
  }

  /** The message for one form field, for field-level errors. */
  fieldError(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

function isFieldProblem(value: unknown): value is FieldProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldProblem).field === 'string' &&
    typeof (value as FieldProblem).message === 'string'
  );
}

/**
 * Reads a problem from whatever the server sent. Bodies that are not problems
 * (a proxy's HTML error page, an empty body) still become a usable Problem
 * with the HTTP status, so callers never have to guess.
 */
export function toProblem(body: unknown, response: Pick<Response, 'status' | 'statusText'>): Problem {
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    if (typeof b.message === 'string' && typeof b.code === 'string') {
      return {
        status: typeof b.status === 'number' ? b.status : response.status,
        code: b.code,
        message: b.message,
        fields: Array.isArray(b.fields) ? b.fields.filter(isFieldProblem) : undefined,
      };
    }
  }
  return {
    status: response.status,
    code: `http_${response.status}`,
    message: response.statusText || `Request failed with status ${response.status}`,
  };
}

/**
 * Unwraps an openapi-fetch result: returns the data, or throws ApiError.
 *
 *   queryFn: async () => unwrap(await api.GET('/api/v1/customers'))
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(toProblem(result.error, result.response));
  }
  return result.data as T;
}

/** A server message as a sentence: the API writes "wrong password", screens show "Wrong password". */
export function sentence(message: string): string {
  const text = message.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What to tell a person about any failed call: the server's message, or why the server was not reached. */
export function problemMessage(error: unknown): string {
  if (error instanceof ApiError) return sentence(error.message);
  if (error instanceof TypeError) return 'Could not reach the server. Check your connection and try again.';
  return 'Something went wrong. Please try again.';
}
