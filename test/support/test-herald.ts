import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { waitFor } from './wait-for.ts';
import { ManualClock, systemClock, type Clock } from '../../src/clock.ts';
import { parseConfig, type HeraldConfig } from '../../src/config/config.ts';
import { createHerald, type Herald, type HeraldRole } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { signSigV4Request } from '../../src/security/sigv4.ts';
import type { Dialect } from '../../src/storage/dialect.ts';
import { createTestStorage } from './test-databases.ts';

export { ManualClock };

/** Captures log lines so tests can assert what was (not) logged. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  get text(): string {
    return this.lines.join('');
  }
}

export interface TestHerald extends Herald {
  config: HeraldConfig;
  logs: LogCapture;
  clock: Clock;
  /**
   * Stops this Herald, keeping its database, and starts a new one on the same database and port,
   * as a redeployment would. The new one replaces this one: close that one, not this.
   */
  restart(): Promise<TestHerald>;
  close(): Promise<void>;
}

/** An in-process Herald on a fresh database; tests call `server.inject()`. */
export async function createTestHerald(
  dialect: Dialect,
  options: { clock?: Clock; env?: Record<string, string>; roles?: HeraldRole[]; random?: () => number } = {},
): Promise<TestHerald> {
  const testStorage = await createTestStorage(dialect);
  const env: Record<string, string> = {
    DATA_DIR: testStorage.dataDir,
    // A test that starts its Herald listens on a free loopback port, never on the 8080 of `npm start`.
    PORT: '0',
    HOST: '127.0.0.1',
    HERALD_OUTBOUND_ALLOW_LOOPBACK: 'true',
    LOG_LEVEL: 'info',
    ...(testStorage.storage.dialect === 'postgres' ? { DATABASE_URL: testStorage.storage.url } : {}),
    ...options.env,
  };
  const logs = new LogCapture();
  const clock = options.clock ?? systemClock;
  const roles = options.roles ?? ['api'];
  const assemble = async (config: HeraldConfig): Promise<TestHerald> => {
    const herald = await createHerald(config, { roles, clock, logger: createLogger(config.logLevel, logs), random: options.random });
    return {
      ...herald,
      config,
      logs,
      clock,
      async restart() {
        const address = herald.server?.server.address();
        const port = address !== null && typeof address === 'object' ? address.port : config.http.port;
        await herald.stop();
        const next = await assemble({ ...config, http: { ...config.http, port } });
        await next.start();
        return next;
      },
      async close() {
        await herald.stop();
        await testStorage.drop();
      },
    };
  };
  return assemble(parseConfig(env));
}

export interface AppCredentials {
  appId: string;
  appName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

let appCounter = 0;

/** Creates an app with one access key directly through the services. */
export async function createAppWithKey(herald: Herald, name = `app-${++appCounter}`): Promise<AppCredentials> {
  const app = await herald.services.apps.create({ name });
  const key = await herald.services.keys.create(app.id);
  return { appId: app.id, appName: app.name, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

/** Injects a SigV4-signed request, as a calling system would send it: `body` as JSON, or `payload` as these exact bytes. */
export function signedInject(
  herald: TestHerald,
  credentials: Pick<AppCredentials, 'accessKeyId' | 'secretAccessKey'>,
  request: { method: string; url: string; body?: unknown; payload?: string | Buffer; headers?: Record<string, string>; nowMs?: number },
): Promise<LightMyRequestResponse> {
  const body = request.payload ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const headers = signSigV4Request({
    method: request.method,
    url: request.url,
    host: 'localhost:80',
    // Like Herald's SDK, a random signed nonce makes identical requests in the same second distinct (replay protection).
    headers: { 'x-herald-nonce': randomUUID(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
    body,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    region: 'cn-north-1',
    nowMs: request.nowMs ?? herald.clock.now(),
  });
  return herald.server!.inject({ method: request.method as InjectOptions['method'], url: request.url, headers, payload: body });
}

/** A password the strength check accepts, for test users. */
export const TEST_PASSWORD = 'granite-otter-umbrella-81';

/** The Origin a browser on Herald's own pages sends with `inject()`'s default Host (localhost:80). */
export const CONSOLE_ORIGIN = 'http://localhost';

/** Headers of a console user's browser: the session cookie, and the Origin state changes need (CSRF_REJECTED otherwise). */
// A type, not an interface, so it can be passed as inject() headers.
export type ConsoleSession = { cookie: string; origin: string };

/** Creates a console user and returns the headers its browser sends. */
export async function consoleSession(herald: TestHerald, role: 'owner' | 'admin' | 'operator' | 'viewer' = 'owner', email = `${role}-${++appCounter}@example.com`): Promise<ConsoleSession> {
  await herald.services.users.create({ email, password: TEST_PASSWORD, role });
  const response = await herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email, password: TEST_PASSWORD } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const setCookie = response.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return { cookie: first!.split(';')[0]!, origin: CONSOLE_ORIGIN };
}

/**
 * Sending as an app does in pipeline tests (read through `current`, so a describe may set both up in its `before`): `send` posts to /v1/messages and expects 202, `completed`
 * waits until the message is completed and answers its view.
 */
export function messageSender(current: () => { herald: TestHerald; app: Pick<AppCredentials, 'accessKeyId' | 'secretAccessKey'> }) {
  const call = (method: string, url: string, body?: unknown) => signedInject(current().herald, current().app, { method, url, body });
  return {
    async send(body: Record<string, unknown>) {
      const response = await call('POST', '/v1/messages', body);
      assert.equal(response.statusCode, 202, response.body);
      return response.json();
    },
    completed: (id: string) =>
      waitFor(
        async () => {
          const message = (await call('GET', `/v1/messages/${id}`)).json();
          return message.status === 'completed' ? message : undefined;
        },
        { what: `message ${id} completed` },
      ),
  };
}
