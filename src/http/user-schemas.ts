import { Type } from 'typebox';
import { Time, NullableTime } from './response-fields.ts';
import { ROLES } from '../domain/users/user-service.ts';

/** A console user as the user and sign-in routes answer it (src/domain/users/user-service.ts: toUserView); never the password hash. */
export const UserViewSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum(ROLES),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  createdAt: Time,
  lastLoginAt: NullableTime,
});
