import { Type, type TSchema } from 'typebox';
import { CHANNELS } from '../../channels/channel-catalog.ts';
import { ReceiverSchema } from '../../domain/messages/send-request-schema.ts';
import { DEFAULT_TEMPLATE_PAGE_LIMIT, MAX_TEMPLATE_PAGE_LIMIT, MAX_TEMPLATE_VERSION, MAX_TEST_SEND_RECEIVERS } from '../../domain/templates/template-service.ts';
import { actorOf, appIdOf } from '../auth/access.ts';
import { TemplatePageSchema, TemplatePreviewSchema, TemplateVersionPageSchema, TemplateVersionViewSchema, TemplateViewSchema } from '../template-schemas.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';
import { AcceptedMessageSchema, serializeAsBuilt } from '../message-schemas.ts';
import { NoContent } from '../response-fields.ts';

const strict = { additionalProperties: false } as const;
const Code = Type.String({ minLength: 1, maxLength: 128, description: 'Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-"' });
const CodeParams = Type.Object({ code: Code }, strict);
const VersionNumber = (description: string) => Type.Integer({ minimum: -MAX_TEMPLATE_VERSION, maximum: MAX_TEMPLATE_VERSION, description });
const VersionParams = Type.Object({ code: Code, version: VersionNumber('A published version; negative numbers are draft snapshots recorded by test sends') }, strict);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });
const Channel = Type.Enum(CHANNELS);
const Channels = Type.Array(Channel, { minItems: 1, maxItems: CHANNELS.length, uniqueItems: true });
// The service checks these with errors naming the exact field (content.locales.en.title, variables[2].example).
const DefaultChannels = Type.Array(Type.String({ maxLength: 32 }), { maxItems: CHANNELS.length, description: `Channels a send uses when it names none: ${CHANNELS.join(', ')}` });
const Variables = Type.Unknown({ description: 'Declared variables: [{ name, type: string|number|boolean|object|array, required?, example?, description? }]' });
const Content = Type.Unknown({
  description:
    'Template content: { title?, summary?, body, bodyFormat?: markdown|text|html, url?, defaultLocale?, channels?: { email: { subject, html, text }, sms: { templateCode, params, text }, dingtalk: { title, markdown }, ... }, locales?: { "zh-CN": { ...fields to replace } } }. Every string is Liquid.',
});
const Publish = Type.Boolean({ description: 'Publish the saved draft as the next version in the same step' });
const Data = Type.Record(Type.String(), Type.Unknown(), { description: "Template variables; defaults to the variables' example values" });
const Locale = Type.String({ minLength: 2, maxLength: 35, description: 'Receiver locale the variant is chosen by, e.g. zh-CN' });
const Version = Type.Union([VersionNumber('A version number'), Type.Literal('draft')], { description: 'A version number, or "draft" (the default)' });
const PageQuery = <Cursor extends TSchema>(cursor: Cursor) =>
  Type.Object(
    {
      cursor: Type.Optional(cursor),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TEMPLATE_PAGE_LIMIT, default: DEFAULT_TEMPLATE_PAGE_LIMIT })),
    },
    strict,
  );

/** Templates of the calling app: read to read and preview, manage to edit and publish, operate to test-send. */
export const registerTemplateRoutes: RouteModule = (server, { templates }) => {
  const before: AuditSnapshot = (request) => templates.get(appIdOf(request), pathParam(request, 'code'));
  server.post(
    '/templates',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['templates'],
        summary: 'Create a template (a draft; publish it to send with it)',
        body: Type.Object(
          {
            code: Code,
            name: Type.Optional(Name),
            description: Type.Optional(Description),
            defaultChannels: Type.Optional(DefaultChannels),
            variables: Type.Optional(Variables),
            content: Content,
            publish: Type.Optional(Publish),
          },
          strict,
        ),
        response: { 201: TemplateViewSchema },
      },
    },
    async (request, reply) => {
      const appId = appIdOf(request);
      return reply.status(201).send(await templates.create(appId, request.body, actorOf(request)));
    },
  );

  server.get(
    '/templates',
    { config: { access: 'read' }, schema: { tags: ['templates'], summary: 'List templates by code, a page at a time', querystring: PageQuery(Type.String({ maxLength: 128, description: 'nextCursor of the previous page' })), response: { 200: TemplatePageSchema } } },
    async (request) => {
      const appId = appIdOf(request);
      return templates.list(appId, request.query);
    },
  );

  server.get('/templates/:code', { config: { access: 'read' }, schema: { tags: ['templates'], summary: 'A template with its draft and published version number', params: CodeParams, response: { 200: TemplateViewSchema } } }, async (request) => {
    const appId = appIdOf(request);
    return templates.get(appId, request.params.code);
  });

  server.patch(
    '/templates/:code',
    {
      config: { access: 'manage', audit: { before } },
      schema: {
        tags: ['templates'],
        summary: 'Edit the draft (sends keep using the published version until the draft is published)',
        params: CodeParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            description: Type.Optional(Description),
            defaultChannels: Type.Optional(DefaultChannels),
            variables: Type.Optional(Variables),
            content: Type.Optional(Content),
            publish: Type.Optional(Publish),
          },
          strict,
        ),
        response: { 200: TemplateViewSchema },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return templates.updateDraft(appId, request.params.code, request.body, actorOf(request));
    },
  );

  server.delete(
    '/templates/:code',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['templates'], summary: 'Delete a template and its versions (refused while messages using it are still being delivered)', params: CodeParams, response: { 204: NoContent } } },
    async (request, reply) => {
      const appId = appIdOf(request);
      await templates.delete(appId, request.params.code);
      return reply.status(204).send(null);
    },
  );

  server.post(
    '/templates/:code/publish',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['templates'], summary: 'Publish the draft as the next version; sends use it from now on', params: CodeParams, response: { 200: TemplateViewSchema } } },
    async (request) => {
      const appId = appIdOf(request);
      return templates.publish(appId, request.params.code, actorOf(request));
    },
  );

  server.get(
    '/templates/:code/versions',
    {
      config: { access: 'read' },
      schema: {
        tags: ['templates'],
        summary: 'Published versions, newest first',
        params: CodeParams,
        querystring: PageQuery(VersionNumber('nextCursor of the previous page')),
        response: { 200: TemplateVersionPageSchema },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return templates.listVersions(appId, request.params.code, request.query);
    },
  );

  server.get(
    '/templates/:code/versions/:version',
    { config: { access: 'read' }, schema: { tags: ['templates'], summary: 'One version with its content', params: VersionParams, response: { 200: TemplateVersionViewSchema } } },
    async (request) => {
      const appId = appIdOf(request);
      return templates.getVersion(appId, request.params.code, request.params.version);
    },
  );

  server.post(
    '/templates/:code/preview',
    { config: { access: 'read', audit: false },
      // Every field is optional, so a bare POST previews the draft with the example values.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['templates'],
        summary: "Render the draft or a version for each channel, as receivers would get it",
        params: CodeParams,
        body: Type.Object({ data: Type.Optional(Data), locale: Type.Optional(Locale), channels: Type.Optional(Channels), version: Type.Optional(Version) }, strict),
        response: { 200: TemplatePreviewSchema },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return templates.preview(appId, request.params.code, request.body);
    },
  );

  server.post(
    '/templates/:code/test-send',
    {
      config: { access: 'operate', audit: false },
      serializerCompiler: serializeAsBuilt,
      schema: {
        tags: ['templates'],
        summary: 'Send the draft or a version to a few receivers as a real, traced message (metadata testSend: "true")',
        description:
          'A draft that differs from the published version is stored as a draft snapshot, a version with a negative number that is never published; the message records it as its template version.',
        params: CodeParams,
        body: Type.Object(
          {
            to: Type.Array(ReceiverSchema, { minItems: 1, maxItems: MAX_TEST_SEND_RECEIVERS }),
            channels: Type.Optional(Channels),
            data: Type.Optional(Data),
            locale: Type.Optional(Locale),
            version: Type.Optional(Version),
          },
          strict,
        ),
        response: { 202: AcceptedMessageSchema },
      },
    },
    async (request, reply) => {
      const appId = appIdOf(request);
      const { replayed: _replayed, ...accepted } = await templates.testSend(appId, request.params.code, request.body, actorOf(request));
      return reply.status(202).send(accepted);
    },
  );
};
