import { createHash, randomBytes } from 'node:crypto';
import type { HeraldContext } from '../../context/herald-context.ts';
import { forbidden, HeraldError, unauthenticated } from '../../errors.ts';
import type { UsersTable } from '../../storage/schema.ts';
import { createTokenBuckets } from '../rate-limits/token-buckets.ts';
import { verifyPassword } from './password-hash.ts';
import type { UserService } from './user-service.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

// Compared against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type SessionService = ReturnType<typeof createSessionService>;

interface Throttle {
  key: string;
  maxFailures: number;
}

const LOGIN_BUCKET_PREFIX = 'login:';
/** A client address's login bucket is full again a minute after its last attempt; kept a while longer. */
const LOGIN_BUCKET_IDLE_MS = 10 * 60_000;

/**
 * Console sign-in: password check with throttling per (e-mail, client address) and per
 * client address whatever the e-mail, a rate limit on attempts per client address, and
 * opaque session tokens whose sha256 is stored.
 */
export function createSessionService(context: HeraldContext, users: UserService) {
  const { database: { db }, clock, config } = context;
  const { sessionTtlSeconds, loginMaxFailures, loginMaxFailuresPerAddress, loginLockSeconds, loginAttemptsPerMinute } = config.auth;
  const attemptBuckets = createTokenBuckets(context);
  const attemptLimits = { ratePerSecond: loginAttemptsPerMinute / 60, burst: loginAttemptsPerMinute };

  /** Every attempt counts, right or wrong, so a sprayer cannot probe faster by mixing in a known password. */
  async function assertAttemptAllowed(clientAddress: string): Promise<void> {
    const state = await attemptBuckets.take(`${LOGIN_BUCKET_PREFIX}${clientAddress}`, attemptLimits, 1);
    if (!state.granted) {
      throw new HeraldError('throttled', 'LOGIN_RATE_LIMITED', `Too many sign-in attempts from this address; try again in ${state.retryAfterSeconds} seconds`, { retryAfterSeconds: state.retryAfterSeconds });
    }
  }

  /** A guesser of one account's password, and a sprayer of many e-mails from one address. */
  function throttlesFor(email: string, clientAddress: string): { account: Throttle; address: Throttle } {
    return {
      account: { key: `${email.trim().toLowerCase()}|${clientAddress}`, maxFailures: loginMaxFailures },
      // Without "|", so it cannot be some e-mail's key.
      address: { key: `address:${clientAddress}`, maxFailures: loginMaxFailuresPerAddress },
    };
  }

  async function assertNotLocked(throttles: Throttle[]): Promise<void> {
    const rows = await db.selectFrom('login_failures').selectAll().where('throttle_key', 'in', throttles.map((throttle) => throttle.key)).execute();
    const lockedUntil = Math.max(0, ...rows.map((row) => row.locked_until ?? 0));
    if (lockedUntil > clock.now()) {
      const retryAfterSeconds = Math.ceil((lockedUntil - clock.now()) / 1000);
      throw new HeraldError('throttled', 'LOGIN_THROTTLED', `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
    }
  }

  /**
   * Counts a failure against each throttle, in one statement per throttle so concurrent
   * failures all count; a throttle that reaches its limit within the window locks for the window.
   */
  async function recordFailure(throttles: Throttle[]): Promise<void> {
    const now = clock.now();
    const windowMs = loginLockSeconds * 1000;
    const windowStart = now - windowMs;
    await db.transaction().execute(async (trx) => {
      for (const { key, maxFailures } of throttles) {
        const { failures } = await trx
          .insertInto('login_failures')
          .values({ throttle_key: key, failures: 1, first_failed_at: now, locked_until: null })
          .onConflict((oc) =>
            oc.column('throttle_key').doUpdateSet((eb) => {
              const expired = eb('login_failures.first_failed_at', '<', windowStart);
              return {
                failures: eb.case().when(expired).then(1).else(eb('login_failures.failures', '+', 1)).end(),
                first_failed_at: eb.case().when(expired).then(now).else(eb.ref('login_failures.first_failed_at')).end(),
                locked_until: eb.case().when(expired).then(null).else(eb.ref('login_failures.locked_until')).end(),
              };
            }),
          )
          .returning('failures')
          .executeTakeFirstOrThrow();
        if (failures >= maxFailures) await trx.updateTable('login_failures').set({ locked_until: now + windowMs }).where('throttle_key', '=', key).execute();
      }
    });
  }

  return {
    /** Returns the new session token (for the cookie) and the user. */
    async login(email: string, password: string, clientAddress: string): Promise<{ token: string; user: UsersTable; expiresAt: number }> {
      const { account, address } = throttlesFor(email, clientAddress);
      await assertAttemptAllowed(clientAddress);
      await assertNotLocked([account, address]);
      const user = await users.findByEmail(email);
      const passwordOk = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !passwordOk) {
        await recordFailure([account, address]);
        throw unauthenticated('LOGIN_FAILED', 'E-mail or password is wrong');
      }
      if (user.status !== 'active') throw forbidden('USER_DISABLED', 'This user is disabled; ask an owner or admin');
      // The address count stays: a sprayer who knows one password must not reset it by signing in.
      await db.deleteFrom('login_failures').where('throttle_key', '=', account.key).execute();
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = now + sessionTtlSeconds * 1000;
      await db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: user.id, created_at: now, expires_at: expiresAt }).execute();
      await users.recordLogin(user.id);
      return { token, user, expiresAt };
    },

    /** The active user behind a session token, or undefined. */
    async userFor(token: string): Promise<UsersTable | undefined> {
      return db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .where('sessions.token_hash', '=', hashToken(token))
        .where('sessions.expires_at', '>', clock.now())
        .where('users.status', '=', 'active')
        .executeTakeFirst();
    },

    async logout(token: string): Promise<void> {
      await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
    },

    async purgeExpired(): Promise<void> {
      const now = clock.now();
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
      await db.deleteFrom('login_failures').where('first_failed_at', '<', now - loginLockSeconds * 1000).where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)])).execute();
      await attemptBuckets.purgeIdle(LOGIN_BUCKET_PREFIX, LOGIN_BUCKET_IDLE_MS);
    },
  };
}
