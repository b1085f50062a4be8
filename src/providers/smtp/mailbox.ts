import { isEmailAddress } from '../../channels/address-kinds.ts';

/** Mailboxes in SMTP account config (`from`, `replyTo`); the address check is the e-mail address kind's. */

export interface Mailbox {
  name?: string;
  address: string;
}

const NAMED_MAILBOX = /^(?<name>[^<>\r\n]*?)\s*<(?<address>[^<>]*)>$/;

/** `"addr@example.com"` or `"Display Name <addr@example.com>"` (the name may be quoted); undefined when neither. */
export function parseMailbox(value: string): Mailbox | undefined {
  const trimmed = value.trim();
  const named = NAMED_MAILBOX.exec(trimmed)?.groups;
  const address = named ? named.address : trimmed;
  if (!isEmailAddress(address)) return undefined;
  const name = named?.name.replace(/^"(.*)"$/, '$1').trim();
  return name ? { name, address } : { address };
}
