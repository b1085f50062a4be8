import type { AcceptStep, AcceptTransactionStep } from '../../src/domain/messages/accept-steps/accept-draft.ts';
import { createMessageIntake, type MessageIntake, type TemplateGate } from '../../src/domain/messages/message-intake.ts';
import { createProviderRegistry } from '../../src/providers/provider-registry.ts';
import type { TestHerald } from './test-herald.ts';

const inlineContentOnly: TemplateGate = {
  resolve: () => Promise.reject(new Error('no templates in this test')),
  check: async () => undefined,
};

/**
 * A message intake over a test Herald's own directory and settings with the accept steps a test
 * gives: the pipeline tests try a policy's decisions on real rows without the HTTP edge. Inline
 * content only; nothing wakes a worker.
 */
export function intakeWithSteps(herald: TestHerald, steps: { policies: AcceptStep[]; transactionPolicies?: AcceptTransactionStep[] }): MessageIntake {
  const { services } = herald;
  return createMessageIntake(herald.context, {
    directory: {
      findSubscribers: services.subscribers.resolveSubscribers,
      accountsForSend: services.channelAccounts.resolveAccountsForSend,
      messageType: services.messageTypes.forSend,
      groupMembers: services.receiverGroups.expand,
    },
    providers: createProviderRegistry(),
    templates: inlineContentOnly,
    appSettings: (appId) => services.apps.settings(appId),
    onQueued: () => undefined,
    onCallbacksQueued: () => undefined,
    ...steps,
  });
}
