import { describe, expect, it } from 'vitest';
import { ApiError, toProblem, unwrap } from './problem';

const response = (status: number, statusText = '') => new Response(null, { status, statusText });

describe('toProblem', () => {
  it('keeps a server problem with its field errors', () => {
    const problem = toProblem(
      {
        status: 422,
        code: 'invalid',
        message: 'Check the highlighted fields',
        fields: [{ field: 'email', message: 'is not an e-mail address' }, { nonsense: true }],
      },
      response(422),
    );
    expect(problem).toEqual({
      status: 422,
      code: 'invalid',
      message: 'Check the highlighted fields',
      fields: [{ field: 'email', message: 'is not an e-mail address' }],
    });
  });

  it('falls back to the HTTP status when the body is not a problem', () => {
    expect(toProblem('<html>Bad gateway</html>', response(502, 'Bad Gateway'))).toEqual({
      status: 502,
      code: 'http_502',
      message: 'Bad Gateway',
    });
  });
});

describe('unwrap', () => {
  it('returns data from a successful call', () => {
    expect(unwrap({ data: { ok: 1 }, response: new Response('{}', { status: 200 }) })).toEqual({ ok: 1 });
  });

  it('throws an ApiError that exposes field messages', () => {
    const call = () =>
      unwrap({
        error: { status: 409, code: 'conflict', message: 'Name taken', fields: [{ field: 'name', message: 'already used' }] },
        response: response(409),
      });
    expect(call).toThrow(ApiError);
    try {
      call();
    } catch (e) {
      const err = e as ApiError;
      expect(err.status).toBe(409);
      expect(err.code).toBe('conflict');
      expect(err.message).toBe('Name taken');
      expect(err.fieldError('name')).toBe('already used');
      expect(err.fieldError('email')).toBeUndefined();
    }
  });
});
