import { Type } from 'typebox';
import { ROLES } from '../../domain/users/user-service.ts';
import { forbidden } from '../../errors.ts';
import { consoleUserOf, requireRole } from '../auth/access.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';
import { UserViewSchema } from '../user-schemas.ts';

const RoleSchema = Type.Enum(ROLES);

/** Console users: admins manage operators and viewers; only owners grant admin or owner. */
export const registerUserRoutes: RouteModule = (server, { users }) => {
  const before: AuditSnapshot = (request) => users.get(pathParam(request, 'id'));
  server.get('/users', { config: { access: { consoleRole: 'admin' } }, schema: { tags: ['users'], summary: 'List console users', response: { 200: Type.Object({ items: Type.Array(UserViewSchema) }) } } }, async () => ({ items: await users.list() }));

  server.post(
    '/users',
    {
      config: { access: { consoleRole: 'admin' } },
      schema: {
        tags: ['users'],
        summary: 'Create a console user',
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ maxLength: 1024 }), name: Type.Optional(Type.String({ maxLength: 200 })), role: RoleSchema },
          { additionalProperties: false },
        ),
        response: { 201: UserViewSchema },
      },
    },
    async (request, reply) => {
      const actor = consoleUserOf(request);
      if ((request.body.role === 'owner' || request.body.role === 'admin') && actor.role !== 'owner') {
        throw forbidden('ROLE_INSUFFICIENT', 'Only an owner can create admins or owners');
      }
      return reply.status(201).send(await users.create(request.body));
    },
  );

  server.patch(
    '/users/:id',
    {
      // Anyone signed in may change their own name and password; everything else needs an admin.
      config: { access: { consoleRole: 'viewer' }, audit: { before } },
      schema: {
        tags: ['users'],
        summary: 'Change a user (role, status, name, password)',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            role: Type.Optional(RoleSchema),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
            password: Type.Optional(Type.String({ maxLength: 1024 })),
            currentPassword: Type.Optional(Type.String({ maxLength: 1024, description: 'Required to change your own password' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserViewSchema },
      },
    },
    async (request) => {
      const actor = consoleUserOf(request);
      const self = actor.userId === request.params.id;
      const onlyOwnPassword = self && Object.keys(request.body).every((key) => key === 'password' || key === 'currentPassword' || key === 'name');
      if (!onlyOwnPassword) {
        requireRole(request, 'admin');
        const target = await users.get(request.params.id);
        const touchesPrivileged = target.role === 'owner' || target.role === 'admin' || request.body.role === 'owner' || request.body.role === 'admin';
        if (touchesPrivileged && actor.role !== 'owner') throw forbidden('ROLE_INSUFFICIENT', 'Only an owner can change admins or owners');
      }
      return users.update(request.params.id, request.body, { ownAccount: self });
    },
  );
};
