import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteModule } from '../route-module.ts';

const ReceiptParams = Type.Object(
  {
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    token: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

/**
 * `POST /receipts/{accountId}/{token}`: delivery receipts pushed by SMS platforms in their own
 * formats (JSON arrays, Twilio's form posts). Not part of the signed API — platforms cannot sign
 * with an access key — so the URL's random token, and where the platform has one its own
 * signature, authenticate it. The body is read raw, whatever its type, for the provider to parse
 * (and to verify signatures over the exact bytes).
 */
export const registerReceiptRoutes: RouteModule = (server, { receipts }) => {
  server.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(
      '/receipts/:accountId/:token',
      {
        schema: {
          tags: ['receipts'],
          summary: 'Delivery receipts pushed by SMS platforms (Aliyun SmsReport, Tencent status callback, Twilio StatusCallback) to the receipt URL shown on the channel account',
          params: ReceiptParams,
        },
      },
      async (request, reply) => {
        const { accountId, token } = request.params;
        const queryAt = request.url.indexOf('?');
        const answer = await receipts.receive(accountId, token, {
          search: queryAt === -1 ? '' : request.url.slice(queryAt),
          headers: request.headers,
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        });
        return reply.status(answer.status).type(answer.contentType).send(answer.body);
      },
    );
  });
};
