import { Type, type Static } from 'typebox';
import { CHANNELS, type ChannelName } from '../../channels/channel-catalog.ts';
import type { HeraldContext } from '../../context/herald-context.ts';
import { notFound } from '../../errors.ts';
import { MESSAGE_TYPE_CODE_PATTERN } from '../message-types/message-type-code.ts';

/**
 * A subscriber's opt-outs. Whether a message of a type reaches them is decided by the most
 * specific of `types[code]`, `categories[category]`, `all` that is set (default: yes), and
 * independently `channels[channel]` (default: yes): `{ all: false, types: { "server.down": true } }`
 * receives only server.down; `{ channels: { sms: false } }` receives everything except by SMS.
 * Critical message types bypass all of it (opt-out-step.ts).
 */
export const SubscriberPreferencesSchema = Type.Object(
  {
    all: Type.Optional(Type.Boolean({ description: 'false: opted out of everything not switched on more specifically' })),
    channels: Type.Optional(
      Type.Object(Object.fromEntries(CHANNELS.map((channel) => [channel, Type.Optional(Type.Boolean())])), { additionalProperties: false, description: 'Per channel, e.g. {"sms": false}' }),
    ),
    types: Type.Optional(Type.Record(Type.String({ pattern: MESSAGE_TYPE_CODE_PATTERN }), Type.Boolean(), { maxProperties: 500, description: 'Per message type code' })),
    categories: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Boolean(), { maxProperties: 100, description: 'Per message type category' })),
  },
  { additionalProperties: false },
);
export type SubscriberPreferences = Static<typeof SubscriberPreferencesSchema>;

/** The type of the message being decided on, as far as preferences look at it. */
export interface PreferenceSubject {
  code: string;
  category: string | null;
}

/** Whether a subscriber with these preferences receives a message of `type` (none: a send without type) on `channel`. */
export function receives(preferences: SubscriberPreferences, channel: ChannelName, type: PreferenceSubject | undefined): boolean {
  // The schema's object built from the channel list types loosely: read it as what it validates.
  if ((preferences.channels as Partial<Record<ChannelName, boolean>> | undefined)?.[channel] === false) return false;
  const byType = type ? preferences.types?.[type.code] : undefined;
  const byCategory = type && type.category !== null ? preferences.categories?.[type.category] : undefined;
  return byType ?? byCategory ?? preferences.all ?? true;
}

export type SubscriberPreferenceService = ReturnType<typeof createSubscriberPreferenceService>;

export function createSubscriberPreferenceService({ database: { db }, clock }: HeraldContext) {
  async function subscriberId(appId: string, externalId: string): Promise<string> {
    const row = await db.selectFrom('subscribers').select('id').where('app_id', '=', appId).where('external_id', '=', externalId).executeTakeFirst();
    if (!row) throw notFound('SUBSCRIBER_NOT_FOUND', `No subscriber with external id "${externalId}" in this app`);
    return row.id;
  }

  return {
    /** A subscriber without stored preferences receives everything: `{}`. */
    async get(appId: string, externalId: string): Promise<SubscriberPreferences> {
      const id = await subscriberId(appId, externalId);
      const row = await db.selectFrom('subscriber_preferences').select('preferences').where('subscriber_id', '=', id).executeTakeFirst();
      return row ? (JSON.parse(row.preferences) as SubscriberPreferences) : {};
    },

    /** Replaces the preferences as a whole. */
    async put(appId: string, externalId: string, preferences: SubscriberPreferences): Promise<SubscriberPreferences> {
      const id = await subscriberId(appId, externalId);
      const row = { subscriber_id: id, preferences: JSON.stringify(preferences), updated_at: clock.now() };
      await db
        .insertInto('subscriber_preferences')
        .values(row)
        .onConflict((oc) => oc.column('subscriber_id').doUpdateSet({ preferences: row.preferences, updated_at: row.updated_at }))
        .execute();
      return preferences;
    },
  };
}
