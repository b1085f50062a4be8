import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE_ORIGIN, consoleSession, createTestHerald, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

for (const dialect of testDialects) {
  describe(`console users and sessions on ${dialect}`, () => {
    let herald: TestHerald;
    before(async () => {
      herald = await createTestHerald(dialect, { env: { HERALD_LOGIN_MAX_FAILURES: '3' } });
    });
    after(() => herald.close());

    test('first-run setup works only while no user exists', async () => {
      assert.deepEqual((await herald.server!.inject({ method: 'GET', url: '/auth/setup' })).json(), { setupOpen: true });
      const weak = await herald.server!.inject({ method: 'POST', url: '/auth/setup', payload: { email: 'root@example.com', password: 'short' } });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().code, 'PASSWORD_TOO_SHORT');
      const created = await herald.server!.inject({ method: 'POST', url: '/auth/setup', payload: { email: 'Root@Example.com', password: 'a long enough password' } });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().role, 'owner');
      assert.equal(created.json().email, 'root@example.com');
      assert.equal(created.json().password_hash, undefined);
      const again = await herald.server!.inject({ method: 'POST', url: '/auth/setup', payload: { email: 'evil@example.com', password: 'a long enough password' } });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'SETUP_ALREADY_DONE');
      const row = await herald.context.database.db.selectFrom('users').select('password_hash').where('email', '=', 'root@example.com').executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^scrypt\$/);
    });

    test('login sets an HttpOnly SameSite=Lax cookie that opens /v1 and /auth/me; logout ends it', async () => {
      const login = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'root@example.com', password: 'a long enough password' } });
      assert.equal(login.statusCode, 200, login.body);
      const setCookie = String(login.headers['set-cookie']);
      assert.match(setCookie, /herald_session=/);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Lax/);
      const cookie = setCookie.split(';')[0]!;
      const me = await herald.server!.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
      assert.equal(me.json().email, 'root@example.com');
      const whoami = await herald.server!.inject({ method: 'GET', url: '/v1/whoami', headers: { cookie } });
      assert.equal(whoami.json().role, 'owner');
      const logout = await herald.server!.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, origin: CONSOLE_ORIGIN } });
      assert.equal(logout.statusCode, 204);
      const afterLogout = await herald.server!.inject({ method: 'GET', url: '/v1/whoami', headers: { cookie } });
      assert.equal(afterLogout.statusCode, 401);
      assert.equal(afterLogout.json().code, 'SESSION_EXPIRED');
    });

    test('failed logins are throttled per e-mail and address', async () => {
      for (let i = 0; i < 3; i++) {
        const wrong = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'root@example.com', password: 'wrong password!' } });
        assert.equal(wrong.statusCode, 401);
        assert.equal(wrong.json().code, 'LOGIN_FAILED');
      }
      const locked = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'root@example.com', password: 'a long enough password' } });
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().code, 'LOGIN_THROTTLED');
      assert.ok(Number(locked.headers['retry-after']) > 0);
      const unknownUser = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'nobody@example.com', password: 'whatever pass' } });
      assert.equal(unknownUser.json().code, 'LOGIN_FAILED');
    });

    test('roles: viewers read, admins manage apps, only owners create admins', async () => {
      const viewer = await consoleSession(herald, 'viewer');
      const admin = await consoleSession(herald, 'admin');
      const list = await herald.server!.inject({ method: 'GET', url: '/v1/apps', headers: viewer });
      assert.equal(list.statusCode, 200);
      const denied = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: viewer, payload: { name: 'nope' } });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().code, 'ROLE_INSUFFICIENT');
      const created = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: admin, payload: { name: 'billing', description: 'Billing system' } });
      assert.equal(created.statusCode, 201, created.body);
      const duplicate = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: admin, payload: { name: 'billing' } });
      assert.equal(duplicate.json().code, 'APP_NAME_TAKEN');
      const badName = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: admin, payload: { name: 'Bad Name!' } });
      assert.equal(badName.json().code, 'APP_NAME_INVALID');
      const adminByAdmin = await herald.server!.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { email: 'x@example.com', password: 'a long enough password', role: 'admin' } });
      assert.equal(adminByAdmin.statusCode, 403);
      const operator = await herald.server!.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { email: 'op@example.com', password: 'a long enough password', role: 'operator' } });
      assert.equal(operator.statusCode, 201);
      const disabled = await herald.server!.inject({ method: 'PATCH', url: '/v1/apps/billing', headers: admin, payload: { status: 'disabled' } });
      assert.equal(disabled.json().status, 'disabled');
    });

    test('the last owner cannot be demoted', async () => {
      const owner = await herald.services.users.findByEmail('root@example.com');
      await assert.rejects(herald.services.users.update(owner!.id, { role: 'viewer' }), { code: 'LAST_OWNER' });
    });
  });
}
