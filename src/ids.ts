import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/**
 * Prefixed, time-ordered identifiers (`msg_01J...`): readable in logs, sortable for
 * cursor pagination, and unique across processes.
 */
export function newId(prefix: 'app' | 'usr' | 'sub' | 'cha' | 'msg' | 'dlv' | 'evt' | 'cbk' | 'tpl' | 'aud', nowMs?: number): string {
  return `${prefix}_${nextUlid(nowMs).toLowerCase()}`;
}

/** Access key ids look like AWS ones (`HKxxxxxxxxxxxxxxxxxx`, 20 upper-case characters) so SigV4 tools accept them. */
export function newAccessKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(18);
  let id = 'HK';
  for (const byte of bytes) id += alphabet[byte & 31];
  return id;
}

/** 40 characters of base64url: 240 bits, like an AWS secret access key. */
export function newSecret(): string {
  return randomBytes(30).toString('base64url');
}
