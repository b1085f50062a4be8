import { Type } from 'typebox';
import { forbidden } from '../../errors.ts';
import type { RouteModule } from '../route-module.ts';
import { AcknowledgementSchema } from '../message-schemas.ts';

const AckParams = Type.Object({ deliveryId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
// Optional in the schema (query strings only qualify): a link without its signature is refused like a wrong one.
const AckQuery = Type.Object({ sig: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }, { additionalProperties: false });

const page = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body><p>${text}</p></body></html>`;

/**
 * `GET /ack/{deliveryId}?sig=...`: the signed acknowledgement link templates include as
 * `{{ ack_url }}`. Outside the signed API — the receiver has no access key — so the link's
 * signature (security/ack-links.ts) is the authentication; a wrong one is a 403 and acknowledges
 * nothing. Acknowledged, it answers a tiny page for a person's browser, or JSON when asked for it;
 * refusals are problem+json like every other 4xx of Herald.
 */
export const registerAckRoutes: RouteModule = (server, { acknowledgement, ackLinks }) => {
  server.get(
    '/ack/:deliveryId',
    {
      schema: {
        tags: ['messages'],
        summary: 'Acknowledge a delivery by its signed link ({{ ack_url }} in templates)',
        params: AckParams,
        querystring: AckQuery,
        response: { 200: { description: 'Acknowledged: a short page, or JSON with Accept: application/json', content: { 'text/html': { schema: Type.String() }, 'application/json': { schema: AcknowledgementSchema } } } },
      },
    }, async (request, reply) => {
    const json = (request.headers.accept ?? '').includes('application/json');
    const { deliveryId } = request.params;
    if (request.query.sig === undefined || !ackLinks.verify(deliveryId, request.query.sig)) {
      throw forbidden('ACK_LINK_INVALID', 'This acknowledgement link is not valid');
    }
    // A signed link for a delivery since deleted (its app removed) is a 404 DELIVERY_NOT_FOUND.
    const ack = await acknowledgement.acknowledge(deliveryId, undefined, 'link');
    return json ? reply.send(ack) : reply.type('text/html; charset=utf-8').send(page('Acknowledged', `Acknowledged at ${ack.acknowledgedAt}. Thank you.`));
  });
};
