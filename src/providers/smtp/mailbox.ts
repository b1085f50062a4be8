/** E-mail address checks for SMTP account config and recipients: strict enough to catch typos and header injection. */

export interface Mailbox {
  name?: string;
  address: string;
}

const EMAIL_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const NAMED_MAILBOX = /^(?<name>[^<>\r\n]*?)\s*<(?<address>[^<>]*)>$/;

export const isEmailAddress = (value: string) => EMAIL_ADDRESS.test(value);

/** `"addr@example.com"` or `"Display Name <addr@example.com>"` (the name may be quoted); undefined when neither. */
export function parseMailbox(value: string): Mailbox | undefined {
  const trimmed = value.trim();
  const named = NAMED_MAILBOX.exec(trimmed)?.groups;
  const address = named ? named.address : trimmed;
  if (!isEmailAddress(address)) return undefined;
  const name = named?.name.replace(/^"(.*)"$/, '$1').trim();
  return name ? { name, address } : { address };
}
