import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Signed acknowledgement links (`GET /ack/{deliveryId}?sig=...`): whoever got the message can
 * acknowledge it without an access key. The signature is an HMAC-SHA256 of the delivery id under
 * a key derived from the master key for this purpose only, so a link cannot be forged nor reused
 * for another delivery, and a leaked link acknowledges nothing else.
 */
export interface AckLinks {
  /** The link for a delivery, or undefined when HERALD_PUBLIC_URL is not set (there is nowhere to point it). */
  urlFor(deliveryId: string): string | undefined;
  /** True when `signature` is the one for `deliveryId` (constant-time). */
  verify(deliveryId: string, signature: string): boolean;
}

const PURPOSE = 'herald ack links v1';

export function createAckLinks(masterKey: Buffer, publicUrl: string | undefined): AckLinks {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), PURPOSE, 32));
  const sign = (deliveryId: string) => createHmac('sha256', key).update(deliveryId).digest();
  const base = publicUrl?.replace(/\/+$/, '');
  return {
    urlFor(deliveryId) {
      if (base === undefined) return undefined;
      return `${base}/ack/${encodeURIComponent(deliveryId)}?sig=${sign(deliveryId).toString('base64url')}`;
    },
    verify(deliveryId, signature) {
      const expected = sign(deliveryId);
      const given = Buffer.from(signature, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
