/**
 * What the benchmarks send: the message content callers post to Herald, and, for the
 * baselines, the JSON body Herald's webhook provider posts for such a message (same fields,
 * about the same size), so the baselines carry the same bytes to the sink.
 */

export const SINK_ACCOUNT_NAME = 'sink';

export const benchContent = {
  title: 'Order 1001 paid',
  body: 'Hi **Ada**, we received your payment of **CNY 1,299.50** for order 1001. It ships within two working days.',
};

/** A single-message send to the webhook account (one delivery). */
export function singleSendBody(): Record<string, unknown> {
  return { to: [{ channelAccount: SINK_ACCOUNT_NAME }], content: benchContent, metadata: { orderId: '1001' } };
}

/** A batch send with `receivers` deliveries; `perReceiverData` gives each receiver its own template variables. */
export function batchSendBody(receivers: number, options: { perReceiverData: boolean }): Record<string, unknown> {
  return {
    receivers: Array.from({ length: receivers }, (_, index) =>
      options.perReceiverData ? { to: { channelAccount: SINK_ACCOUNT_NAME }, data: { name: `Receiver ${index}` } } : { to: { channelAccount: SINK_ACCOUNT_NAME } },
    ),
    content: options.perReceiverData ? { ...benchContent, body: `Hi **{{ name }}**, ${benchContent.body.slice(benchContent.body.indexOf('we '))}` } : benchContent,
    metadata: { campaign: 'bench' },
  };
}

/** The body Herald's webhook provider would post for delivery `index` (see src/providers/webhook). */
export function webhookPayload(index: number, metadata: Record<string, string> = { orderId: '1001' }): { deliveryId: string; body: string } {
  const deliveryId = `dlv_bench_${String(index).padStart(8, '0')}`;
  const body = JSON.stringify({
    messageId: `msg_bench_${String(index).padStart(8, '0')}`,
    deliveryId,
    dedupKey: deliveryId,
    attempt: 1,
    title: benchContent.title,
    text: 'Hi Ada, we received your payment of CNY 1,299.50 for order 1001. It ships within two working days.',
    markdown: `**${benchContent.title}**\n\n${benchContent.body}`,
    metadata,
    sentAt: new Date().toISOString(),
  });
  return { deliveryId, body };
}
