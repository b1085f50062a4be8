import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/schema';
import { ApiProblem, toProblem } from './problem';

/**
 * The console's only way to Herald: typed by the OpenAPI document of this checkout
 * (console/scripts/build-console.ts generates `paths`), same-origin with the session cookie, so the
 * browser sends the Origin / Sec-Fetch-Site that Herald's CSRF guard wants on every write.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/** Console users name the app a /v1 call acts on in X-Herald-App (src/http/auth/access.ts). */
let currentApp: string | null = null;
export function setRequestApp(appId: string | null): void {
  currentApp = appId;
}

/** Called when Herald says the session is gone, so the router can send the user to sign in. */
let onSessionLost: () => void = () => {};
export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

const appHeader: Middleware = {
  onRequest({ request }) {
    if (currentApp && new URL(request.url).pathname.startsWith('/v1/')) request.headers.set('x-herald-app', currentApp);
    return request;
  },
};
api.use(appHeader);

/** Unwraps an openapi-fetch result: the body on success, an ApiProblem (problem+json's message) otherwise. */
export async function unwrap<T = unknown>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw new ApiProblem({ status: 0, code: 'NETWORK', detail: error instanceof Error ? error.message : String(error) });
  }
  if (result.response.ok) return result.data as T;
  const problem = toProblem(result.response, result.error);
  // A 401 on /v1 means the session ended (expired, signed out elsewhere); /auth answers its own 401s (a wrong password).
  if (problem.status === 401 && new URL(result.response.url, location.href).pathname.startsWith('/v1/')) onSessionLost();
  throw new ApiProblem(problem);
}
