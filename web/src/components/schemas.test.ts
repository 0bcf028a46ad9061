import { describe, expect, it } from 'vitest';
import { codeField, emailField, newPasswordField } from './schemas';

describe('identity input rules', () => {
  it('accepts and refuses e-mail addresses as the server does', () => {
    for (const ok of ['alice@example.com', ' Alice@Example.COM ', 'a@localhost']) expect(emailField.safeParse(ok).success).toBe(true);
    for (const bad of ['', 'alice', '@example.com', 'alice@', 'alice@example', 'a b@example.com', 'alice@.com', 'a@b@c.com']) {
      expect(emailField.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('wants 12 to 128 characters in a password', () => {
    expect(newPasswordField.safeParse('short').success).toBe(false);
    expect(newPasswordField.safeParse('twelve chars').success).toBe(true);
    expect(newPasswordField.safeParse('x'.repeat(129)).success).toBe(false);
  });

  it('takes a 6-digit code or a recovery code', () => {
    for (const ok of ['123456', '123 456', 'abcde-fghjk']) expect(codeField.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['12345', 'abcdefghjk', 'hello']) expect(codeField.safeParse(bad).success, bad).toBe(false);
  });
});
