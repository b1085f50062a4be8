import { createHash, randomBytes } from 'node:crypto';
import type { HeraldContext } from '../../context/herald-context.ts';
import { forbidden, HeraldError, unauthenticated } from '../../errors.ts';
import type { UsersTable } from '../../storage/schema.ts';
import { verifyPassword } from './password-hash.ts';
import type { UserService } from './user-service.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

// Compared against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type SessionService = ReturnType<typeof createSessionService>;

/**
 * Console sign-in: password check with throttling per (e-mail, client address),
 * and opaque session tokens whose sha256 is stored.
 */
export function createSessionService({ database: { db }, clock, config }: HeraldContext, users: UserService) {
  const { sessionTtlSeconds, loginMaxFailures, loginLockSeconds } = config.auth;

  async function assertNotLocked(throttleKey: string): Promise<void> {
    const row = await db.selectFrom('login_failures').selectAll().where('throttle_key', '=', throttleKey).executeTakeFirst();
    if (row?.locked_until && row.locked_until > clock.now()) {
      const retryAfterSeconds = Math.ceil((row.locked_until - clock.now()) / 1000);
      throw new HeraldError('throttled', 'LOGIN_THROTTLED', `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
    }
  }

  async function recordFailure(throttleKey: string): Promise<void> {
    const now = clock.now();
    const windowMs = loginLockSeconds * 1000;
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('login_failures').selectAll().where('throttle_key', '=', throttleKey).executeTakeFirst();
      const fresh = !row || now - row.first_failed_at > windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const values = {
        throttle_key: throttleKey,
        failures,
        first_failed_at: fresh ? now : row.first_failed_at,
        locked_until: failures >= loginMaxFailures ? now + windowMs : null,
      };
      await trx
        .insertInto('login_failures')
        .values(values)
        .onConflict((oc) => oc.column('throttle_key').doUpdateSet(values))
        .execute();
    });
  }

  return {
    /** Returns the new session token (for the cookie) and the user. */
    async login(email: string, password: string, clientAddress: string): Promise<{ token: string; user: UsersTable; expiresAt: number }> {
      const throttleKey = `${email.trim().toLowerCase()}|${clientAddress}`;
      await assertNotLocked(throttleKey);
      const user = await users.findByEmail(email);
      const passwordOk = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !passwordOk) {
        await recordFailure(throttleKey);
        throw unauthenticated('LOGIN_FAILED', 'E-mail or password is wrong');
      }
      if (user.status !== 'active') throw forbidden('USER_DISABLED', 'This user is disabled; ask an owner or admin');
      await db.deleteFrom('login_failures').where('throttle_key', '=', throttleKey).execute();
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
    },
  };
}
