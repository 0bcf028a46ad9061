import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from './forms';

/**
 * The identity input rules of the server (crates/server/src/identity/rules.rs),
 * checked before sending so mistakes show at once. The server stays the authority.
 */
export const emailField = z
  .string()
  .trim()
  .min(1, 'Enter your e-mail address')
  .max(254, 'Must be at most 254 characters')
  .regex(/^[^\s@]+@([^\s@.]+\.)+[^\s@.]+$|^[^\s@]+@localhost$/i, 'Must be an e-mail address');

export const newPasswordField = z
  .string()
  .min(PASSWORD_MIN, `Must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Must be at most ${PASSWORD_MAX} characters`);

export const nameField = z.string().trim().min(1, 'Is required').max(100, 'Must be at most 100 characters');

/** A current 6-digit code, or a recovery code such as abcde-fghjk. */
export const codeField = z
  .string()
  .trim()
  .min(1, 'Enter the code')
  .refine((v) => /^\d{3}\s?\d{3}$/.test(v) || /^[a-z0-9]{5}-[a-z0-9]{5}$/i.test(v), 'Enter the 6-digit code or a recovery code');

/** Only a 6-digit code from the app (enrolment, new recovery codes). */
export const totpField = z
  .string()
  .trim()
  .regex(/^\d{3}\s?\d{3}$/, 'Enter the 6-digit code from your app');
