import { Type } from 'typebox';

/** Field schemas the response schemas share: times as Herald writes them (RFC 3339, UTC), and their nullable forms. */
export const Time = Type.String({ format: 'date-time' });
export const NullableTime = Type.Union([Time, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A 204's documented answer: no body (the route replies `reply.status(204).send()`). */
export const NoContent = Type.Null({ description: 'Done; no content' });
