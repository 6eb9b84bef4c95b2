/**
 * The sign-up password policy, shared by the registry (which enforces it) and the client (which
 * checks before asking again, so a new user learns at once). No I/O and no hashing here.
 */
import { isCommonPassword } from './common-passwords.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordPolicyContext {
  username: string;
}

/**
 * Checks a new password. Returns a message saying what to change, or null when it is acceptable.
 * Lengths count Unicode code points, so an emoji is one character.
 */
export function checkPasswordPolicy(password: string, { username }: PasswordPolicyContext): string | null {
  if (typeof password !== 'string') return 'A password is required';
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length})`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters`;

  const lowered = password.toLowerCase();
  const user = username.toLowerCase();
  if (user.length > 0 && lowered === user) return 'The password must not be your username';
  if (user.length >= 4) {
    const reversed = [...user].reverse().join('');
    if (lowered.includes(user)) return 'The password must not contain your username';
    if (lowered.includes(reversed)) return 'The password must not contain your username reversed';
  }
  if (isCommonPassword(password)) {
    return 'This password is among the most common ones and easy to guess; choose another';
  }
  return null;
}
