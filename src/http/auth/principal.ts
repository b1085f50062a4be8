import type { Role } from '../../domain/users/user-service.ts';

/** Who is calling: an app signing with an access key, or a console user with a session. */
export type Principal =
  | { kind: 'app'; appId: string; accessKeyId: string }
  | { kind: 'user'; userId: string; email: string; role: Role };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** The app a /v1 request acts on, resolved from the route's access declaration. */
    appId: string | undefined;
    /** The raw request body, kept for signature verification. */
    rawBody: Buffer | undefined;
  }
}
