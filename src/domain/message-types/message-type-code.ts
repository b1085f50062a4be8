/** A message type's code, stable across renames: `order.paid`, `server.down`. */
export const MESSAGE_TYPE_CODE_PATTERN = '^[a-z][a-z0-9_.-]{0,63}$';
export const MESSAGE_TYPE_CODE_MAX_LENGTH = 64;
