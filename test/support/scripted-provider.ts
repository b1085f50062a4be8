import type { ProviderDefinition, SendOutcome, SendRequest } from '../../src/providers/provider.ts';

/**
 * An e-mail provider whose answer is scripted per address, for dispatch tests that need every
 * outcome kind without a network peer. It records the addresses it was asked to send to.
 */
export function scriptedProvider(answer: (request: SendRequest) => SendOutcome | Promise<SendOutcome>): ProviderDefinition & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    type: 'scripted',
    channel: 'email',
    target: 'address',
    configSchema: {} as never,
    secretFields: [],
    calls,
    createSender: () => ({
      async send(request) {
        calls.push(request.address ?? '');
        return answer(request);
      },
    }),
  };
}
