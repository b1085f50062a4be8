import { LONE_SURROGATE_ESCAPE } from '../validation/json-text.ts';

/**
 * JSON text of values for PostgreSQL to unpack. JSON.stringify writes a lone surrogate as a
 * `\udXXX` escape, which PostgreSQL refuses when it unpacks the text; a bound string parameter
 * would have been stored with U+FFFD in its place, so that is what the rare text carrying one gets.
 */
export function wellFormedJson(values: unknown): string {
  const json = JSON.stringify(values);
  if (!LONE_SURROGATE_ESCAPE.test(json)) return json;
  return JSON.stringify(values, (_key, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value));
}
