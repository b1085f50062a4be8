import type { Piscina } from 'piscina';
import { invalid } from '../../errors.ts';
import type { PasswordRating, PasswordRatingTask } from './password-strength-worker.ts';

/**
 * Refuses passwords that are short, common, trivial, or built from the user's own e-mail or
 * name, rated by zxcvbn (the same estimator password managers use). zxcvbn takes up to a
 * second per password on a busy core and its dictionaries ~30 MB of heap, so it runs in one
 * worker thread started on demand and ended after a minute without work: the event loop
 * never waits on it and an idle Herald does not carry it.
 */

export const MIN_PASSWORD_LENGTH = 10;
/** zxcvbn's 3: "safely unguessable", at least 10^8 guesses. */
const MIN_PASSWORD_SCORE = 3;
const WORKER_IDLE_MS = 60_000;

let pool: Piscina<PasswordRatingTask, PasswordRating> | undefined;

async function rate(task: PasswordRatingTask): Promise<PasswordRating> {
  if (!pool) {
    const { Piscina } = await import('piscina');
    pool ??= new Piscina({ filename: new URL('./password-strength-worker.ts', import.meta.url).href, minThreads: 0, maxThreads: 1, idleTimeout: WORKER_IDLE_MS });
  }
  return pool.run(task);
}

/** What a password of this user must not be made of: the e-mail, its parts, the name, and Herald itself. */
function userInputsOf(user: { email: string; name?: string }): string[] {
  const email = user.email.trim().toLowerCase();
  const parts = email.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 3);
  const names = (user.name ?? '').toLowerCase().split(/\s+/).filter((part) => part.length >= 3);
  return [email, ...parts, ...names, 'herald'];
}

export async function assertStrongPassword(password: string, user: { email: string; name?: string }): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('PASSWORD_TOO_SHORT', `The password must have at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  const { score, warning, suggestions } = await rate({ password, userInputs: userInputsOf(user) });
  if (score < MIN_PASSWORD_SCORE) {
    const advice = [warning, ...suggestions].filter((line): line is string => Boolean(line)).join(' ');
    throw invalid('PASSWORD_TOO_WEAK', `The password is too easy to guess${advice ? `: ${advice}` : ''}`, { field: 'password', warning, suggestions });
  }
}
