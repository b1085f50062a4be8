import { Type } from 'typebox';

/** Field schemas the response schemas share: times as Herald writes them (RFC 3339, UTC), and their nullable forms. */
export const Time = Type.String({ format: 'date-time' });
export const NullableTime = Type.Union([Time, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);
