import { Type } from 'typebox';
import { MAX_PUSH_ENDPOINT_LENGTH } from '../domain/web-push/push-subscription-service.ts';

/**
 * A browser's push subscription as the app's backend (/v1) or the widget (/inbox/v1) hands it in:
 * one schema for both, so a subscription one accepts the other accepts too.
 */
export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: MAX_PUSH_ENDPOINT_LENGTH, description: "The browser's push service URL (https:)" }),
    keys: Type.Object(
      {
        p256dh: Type.String({ minLength: 1, maxLength: 128, description: "The browser's P-256 public key, base64url (65 bytes)" }),
        auth: Type.String({ minLength: 1, maxLength: 64, description: 'The auth secret, base64url (16 bytes)' }),
      },
      { additionalProperties: false },
    ),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'As PushSubscription.toJSON() gives it; not used' })),
  },
  { additionalProperties: false, description: 'JSON.stringify(pushSubscription) from the browser' },
);

export const PushSubscriptionId = Type.String({ minLength: 1, maxLength: 64, description: 'The push subscription id (wps_...)' });

export const PushSubscriptionViewSchema = Type.Object({
  id: Type.String({ description: 'The pushSubscription address of this browser: { "pushSubscription": "wps_..." } sends to it alone' }),
  endpoint: Type.String(),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const VapidPublicKeySchema = Type.Object({ publicKey: Type.String({ description: 'base64url, for pushManager.subscribe({ applicationServerKey })' }) });
