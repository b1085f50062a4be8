/**
 * Some platforms put the credential in the URL path (Telegram `/bot<token>/`, Discord
 * `/webhooks/<id>/<token>`). Outcomes are stored and shown in delivery trails, so a
 * message that quotes the URL (a transport error naming it, say) must not carry it.
 */
export const REDACTED = '********';

export function redactPathSecret<Outcome extends { kind: string }>(outcome: Outcome, secret: string): Outcome {
  if (!('message' in outcome) || typeof outcome.message !== 'string' || secret === '') return outcome;
  // Percent-encoded too: a URL in an error message may be serialised either way.
  const forms = [...new Set([secret, encodeURIComponent(secret)])];
  let message = outcome.message;
  for (const form of forms) message = message.split(form).join(REDACTED);
  return message === outcome.message ? outcome : { ...outcome, message };
}
