import { SECRET_MASK } from '../channel-accounts/channel-account-config.ts';

/**
 * Field names whose values never reach the audit log, at any depth: passwords, access key,
 * callback and inbox secrets, minted tokens, and a channel account's receipt URL (it carries its
 * token). Channel account configs arrive already masked by their provider's secret fields; this
 * catches what a snapshot carries besides, and may mask a harmless field with a telling name.
 */
const SECRET_FIELD = /secret|password|token|receipturl|privatekey|apikey|credential/i;

/** A copy of a JSON value with every secret-named field's value replaced by SECRET_MASK. */
export function maskForAudit(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskForAudit);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, SECRET_FIELD.test(key) && field !== null && field !== undefined ? SECRET_MASK : maskForAudit(field)]),
  );
}
