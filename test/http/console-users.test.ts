import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE_ORIGIN, consoleSession, createTestHerald, ManualClock, TEST_PASSWORD, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const ROOT_PASSWORD = 'slate-heron-marmalade-52';

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
      const weakCases: Array<[string, RegExp]> = [
        ['password1234', /^The password is too easy to guess: This is similar to a commonly used password/],
        ['qwertyuiop123', /too easy to guess/],
        ['abcdefghijkl', /Common character sequences/],
        ['root@example.com!', /personal or page related data/],
      ];
      for (const [password, detail] of weakCases) {
        const response = await herald.server!.inject({ method: 'POST', url: '/auth/setup', payload: { email: 'Root@Example.com', password } });
        assert.equal(response.statusCode, 400, `${password}: ${response.body}`);
        assert.equal(response.json().code, 'PASSWORD_TOO_WEAK', password);
        assert.equal(response.json().field, 'password');
        assert.match(response.json().detail, detail, password);
        assert.ok(Array.isArray(response.json().suggestions));
      }
      const created = await herald.server!.inject({ method: 'POST', url: '/auth/setup', payload: { email: 'Root@Example.com', password: ROOT_PASSWORD } });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().role, 'owner');
      assert.equal(created.json().email, 'root@example.com');
      assert.equal(created.json().password_hash, undefined);
      const again = await herald.server!.inject({ method: 'POST', url: '/auth/setup', payload: { email: 'evil@example.com', password: ROOT_PASSWORD } });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'SETUP_ALREADY_DONE');
      const weakAgain = await herald.server!.inject({ method: 'POST', url: '/auth/setup', payload: { email: 'evil@example.com', password: 'password1234' } });
      assert.equal(weakAgain.json().code, 'SETUP_ALREADY_DONE', 'once set up, setup answers before spending CPU on rating a password');
      const row = await herald.context.database.db.selectFrom('users').select('password_hash').where('email', '=', 'root@example.com').executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^scrypt\$/);
    });

    test('login sets an HttpOnly SameSite=Lax cookie that opens /v1 and /auth/me; logout ends it', async () => {
      const login = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'root@example.com', password: ROOT_PASSWORD } });
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

    test('setup, sign-in and sign-out are in the audit log with the user and the address', async () => {
      const rows = await herald.context.database.db.selectFrom('audit_log').selectAll().where('action', 'like', 'POST /auth/%').orderBy('id').execute();
      assert.deepEqual(
        rows.map((row) => row.action),
        ['POST /auth/setup', 'POST /auth/login', 'POST /auth/logout'],
      );
      const owner = await herald.context.database.db.selectFrom('users').select('id').where('email', '=', 'root@example.com').executeTakeFirstOrThrow();
      for (const row of rows) {
        assert.equal(row.actor, owner.id);
        assert.equal(row.target, owner.id);
        assert.equal(row.actor_kind, 'user');
        assert.equal(row.address, '127.0.0.1');
        assert.doesNotMatch(`${row.before_json} ${row.after_json}`, new RegExp(ROOT_PASSWORD), 'no password in the audit log');
      }
      assert.equal(JSON.parse(rows[0]!.after_json!).email, 'root@example.com');
    });

    test('failed logins are throttled per e-mail and address', async () => {
      for (let i = 0; i < 3; i++) {
        const wrong = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'root@example.com', password: 'wrong password!' } });
        assert.equal(wrong.statusCode, 401);
        assert.equal(wrong.json().code, 'LOGIN_FAILED');
      }
      const locked = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'root@example.com', password: ROOT_PASSWORD } });
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
      const adminByAdmin = await herald.server!.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { email: 'x@example.com', password: TEST_PASSWORD, role: 'admin' } });
      assert.equal(adminByAdmin.statusCode, 403);
      const weakOperator = await herald.server!.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { email: 'op@example.com', password: 'iloveyou2024', role: 'operator' } });
      assert.equal(weakOperator.statusCode, 400);
      assert.equal(weakOperator.json().code, 'PASSWORD_TOO_WEAK');
      const operator = await herald.server!.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { email: 'op@example.com', password: TEST_PASSWORD, role: 'operator' } });
      assert.equal(operator.statusCode, 201);
      const disabled = await herald.server!.inject({ method: 'PATCH', url: '/v1/apps/billing', headers: admin, payload: { status: 'disabled' } });
      assert.equal(disabled.json().status, 'disabled');
    });

    test('changing your own password needs the current one and a strong new one; an admin resets others without it', async () => {
      const email = 'changer@example.com';
      const viewer = await consoleSession(herald, 'viewer', email);
      const { id } = (await herald.server!.inject({ method: 'GET', url: '/auth/me', headers: viewer })).json();
      const change = (headers: { cookie: string }, body: object, userId = id) => herald.server!.inject({ method: 'PATCH', url: `/v1/users/${userId}`, headers, payload: body });
      const login = (password: string) => herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress: '192.0.2.10' });

      const missing = await change(viewer, { password: 'amber-walrus-telescope-19' });
      assert.equal(missing.statusCode, 400, missing.body);
      assert.equal(missing.json().code, 'CURRENT_PASSWORD_REQUIRED');
      assert.equal(missing.json().field, 'currentPassword');
      const wrong = await change(viewer, { password: 'amber-walrus-telescope-19', currentPassword: 'not-my-password-at-all' });
      assert.equal(wrong.statusCode, 403, wrong.body);
      assert.equal(wrong.json().code, 'PASSWORD_MISMATCH');
      const weak = await change(viewer, { password: 'changer@example.com2026', currentPassword: TEST_PASSWORD });
      assert.equal(weak.statusCode, 400, weak.body);
      assert.equal(weak.json().code, 'PASSWORD_TOO_WEAK');
      assert.equal((await login(TEST_PASSWORD)).statusCode, 200, 'refused changes leave the password as it was');

      const changed = await change(viewer, { password: 'amber-walrus-telescope-19', currentPassword: TEST_PASSWORD });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal((await login(TEST_PASSWORD)).statusCode, 401);
      const fresh = await login('amber-walrus-telescope-19');
      assert.equal(fresh.statusCode, 200);

      const admin = await consoleSession(herald, 'admin');
      const reset = await change(admin, { password: 'copper-lantern-orchard-64' });
      assert.equal(reset.statusCode, 200, `an admin resets a viewer's password by role: ${reset.body}`);
      assert.equal((await login('copper-lantern-orchard-64')).statusCode, 200);
      const weakReset = await change(admin, { password: 'password12345' });
      assert.equal(weakReset.json().code, 'PASSWORD_TOO_WEAK', 'a reset must be strong too');
    });

    test('the last owner cannot be demoted', async () => {
      const owner = await herald.services.users.findByEmail('root@example.com');
      await assert.rejects(herald.services.users.update(owner!.id, { role: 'viewer' }), { code: 'LAST_OWNER' });
    });

    test('one address spraying many e-mails is locked, whatever the e-mails; a success does not reset its count', async () => {
      const clock = new ManualClock(Date.UTC(2026, 2, 2, 8, 0, 0));
      const throttled = await createTestHerald(dialect, {
        clock,
        env: { HERALD_LOGIN_MAX_FAILURES: '3', HERALD_LOGIN_MAX_FAILURES_PER_ADDRESS: '4', HERALD_LOGIN_LOCK_SECONDS: '600' },
      });
      try {
        await throttled.services.users.create({ email: 'owner@example.com', password: TEST_PASSWORD, role: 'owner' });
        const attempt = (email: string, password: string, remoteAddress: string) =>
          throttled.server!.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress });
        const sprayer = '203.0.113.7';

        for (let i = 0; i < 3; i++) assert.equal((await attempt(`guess-${i}@example.com`, 'Winter2026!', sprayer)).statusCode, 401);
        assert.equal((await attempt('owner@example.com', TEST_PASSWORD, sprayer)).statusCode, 200, 'below the limit');
        assert.equal((await attempt('guess-3@example.com', 'Winter2026!', sprayer)).statusCode, 401, 'the fourth failure, counted on top of the three before the success');

        const locked = await attempt('owner@example.com', TEST_PASSWORD, sprayer);
        assert.equal(locked.statusCode, 429, locked.body);
        assert.equal(locked.json().code, 'LOGIN_THROTTLED');
        assert.equal(locked.headers['retry-after'], '600');
        assert.equal((await attempt('owner@example.com', TEST_PASSWORD, '198.51.100.2')).statusCode, 200, 'other addresses are not locked');

        clock.advance(599_000);
        assert.equal((await attempt('owner@example.com', TEST_PASSWORD, sprayer)).headers['retry-after'], '1');
        clock.advance(1_000);
        assert.equal((await attempt('owner@example.com', TEST_PASSWORD, sprayer)).statusCode, 200, 'the lock ends with its window');

        // Concurrent failures all count (no lost updates between parallel sign-ins).
        const parallel = '203.0.113.99';
        const failures = await Promise.all([0, 1, 2, 3].map((i) => attempt(`parallel-${i}@example.com`, 'Winter2026!', parallel)));
        assert.deepEqual(failures.map((response) => response.statusCode), [401, 401, 401, 401]);
        assert.equal((await attempt('owner@example.com', TEST_PASSWORD, parallel)).statusCode, 429);
      } finally {
        await throttled.close();
      }
    });
  });
}
