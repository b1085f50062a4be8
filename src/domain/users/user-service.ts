import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, forbidden, invalid, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { UsersTable } from '../../storage/schema.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { assertStrongPassword } from './password-strength.ts';
import { isoTime } from '../../iso-time.ts';
import { insertUnique } from '../../storage/insert-unique.ts';

export const ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Higher rank may do everything a lower rank may. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, owner: 3 };

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: 'active' | 'disabled';
  createdAt: string;
  lastLoginAt: string | null;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function toUserView(row: UsersTable): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    lastLoginAt: isoTime(row.last_login_at),
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface UserPatch {
  name?: string;
  role?: Role;
  status?: 'active' | 'disabled';
  password?: string;
  /** Proves a user changing their own password knows the one it replaces. */
  currentPassword?: string;
}

export type UserService = ReturnType<typeof createUserService>;

const setupDone = () => conflict('SETUP_ALREADY_DONE', 'Herald already has users; sign in, or ask an owner to invite you');

export function createUserService({ database: { db }, clock }: HeraldContext) {
  async function hasUsers(): Promise<boolean> {
    return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  async function getRow(id: string): Promise<UsersTable> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('USER_NOT_FOUND', `No user "${id}"`);
    return row;
  }

  async function insert(input: { email: string; password: string; name?: string; role: Role }, onlyIfNoUsers: boolean): Promise<UserView> {
    const email = normaliseEmail(input.email);
    if (!EMAIL_PATTERN.test(email)) throw invalid('EMAIL_INVALID', `"${input.email}" is not an e-mail address`, { field: 'email' });
    // Rating a password costs CPU; once set up, anyone may call setup, so answer that first.
    if (onlyIfNoUsers && (await hasUsers())) throw setupDone();
    await assertStrongPassword(input.password, { email, name: input.name });
    const now = clock.now();
    const row: UsersTable = {
      id: newId('usr', now),
      email,
      name: input.name ?? '',
      password_hash: await hashPassword(input.password),
      role: input.role,
      status: 'active',
      created_at: now,
      updated_at: now,
      last_login_at: null,
    };
    await db.transaction().execute(async (trx) => {
      if (onlyIfNoUsers) {
        const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
        if (existing) throw setupDone();
      }
      await insertUnique(trx, 'users', row, ['email'], () => conflict('USER_EMAIL_TAKEN', `A user with e-mail ${email} already exists`, { field: 'email' }));
    });
    return toUserView(row);
  }

  return {
    create: (input: { email: string; password: string; name?: string; role: Role }) => insert(input, false),
    /** First-run setup: creates the first owner, only while no user exists. */
    createFirstOwner: (input: { email: string; password: string; name?: string }) => insert({ ...input, role: 'owner' }, true),
    hasUsers,
    async list(): Promise<UserView[]> {
      return (await db.selectFrom('users').selectAll().orderBy('email').execute()).map(toUserView);
    },
    async get(id: string): Promise<UserView> {
      return toUserView(await getRow(id));
    },
    async findByEmail(email: string): Promise<UsersTable | undefined> {
      return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
    },
    /** `ownAccount`: the user changes their own account, so a new password needs `currentPassword` (an admin resetting someone else's does not). */
    async update(id: string, patch: UserPatch, { ownAccount = false }: { ownAccount?: boolean } = {}): Promise<UserView> {
      const row = await getRow(id);
      if (patch.password !== undefined) {
        if (ownAccount) {
          if (patch.currentPassword === undefined) {
            throw invalid('CURRENT_PASSWORD_REQUIRED', 'currentPassword: changing your own password needs the current one', { field: 'currentPassword' });
          }
          if (!(await verifyPassword(patch.currentPassword, row.password_hash))) {
            throw forbidden('PASSWORD_MISMATCH', 'currentPassword: this is not your current password', { field: 'currentPassword' });
          }
        }
        await assertStrongPassword(patch.password, { email: row.email, name: patch.name ?? row.name });
      }
      const demotesOwner = row.role === 'owner' && ((patch.role !== undefined && patch.role !== 'owner') || patch.status === 'disabled');
      if (demotesOwner) {
        const owners = await db.selectFrom('users').select('id').where('role', '=', 'owner').where('status', '=', 'active').execute();
        if (owners.length <= 1) throw conflict('LAST_OWNER', 'Herald needs at least one active owner; promote another user first');
      }
      const updated: UsersTable = {
        ...row,
        name: patch.name ?? row.name,
        role: patch.role ?? row.role,
        status: patch.status ?? row.status,
        password_hash: patch.password !== undefined ? await hashPassword(patch.password) : row.password_hash,
        updated_at: clock.now(),
      };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(updated).where('id', '=', id).execute();
        // A disabled user or a changed password ends every session of that user.
        if (patch.status === 'disabled' || patch.password !== undefined) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      });
      return toUserView(updated);
    },
    async recordLogin(id: string): Promise<void> {
      await db.updateTable('users').set({ last_login_at: clock.now() }).where('id', '=', id).execute();
    },
  };
}
