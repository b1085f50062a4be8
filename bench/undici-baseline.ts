import { Agent, request } from 'undici';
import { webhookPayload } from './bench-content.ts';
import { forkBenchChild, serveParent } from './child-process.ts';
import { DELIVERY_ID_HEADER } from './http-sink.ts';

/**
 * Dispatch baseline (a): no queue and no database, just an undici client in its own process
 * posting the webhook bodies to the sink with as many requests in flight as Herald's workers.
 */

export interface UndiciBaselineJob {
  url: string;
  count: number;
  concurrency: number;
}

export interface UndiciBaselineResult {
  sent: number;
  failed: number;
  /** Epoch ms of the last answer. */
  finishedAtMs: number;
  peakRssBytes: number;
}

export async function runUndiciBaseline(job: UndiciBaselineJob): Promise<UndiciBaselineResult> {
  const child = await forkBenchChild('undici-baseline', new URL(import.meta.url));
  try {
    const result = await child.call<Omit<UndiciBaselineResult, 'peakRssBytes'>>('post', job);
    return { ...result, peakRssBytes: child.memory().peakRssBytes };
  } finally {
    await child.stop();
  }
}

async function post(job: UndiciBaselineJob): Promise<Omit<UndiciBaselineResult, 'peakRssBytes'>> {
  const dispatcher = new Agent();
  let next = 0;
  let sent = 0;
  let failed = 0;
  const runner = async () => {
    while (next < job.count) {
      const { deliveryId, body } = webhookPayload(next++);
      try {
        const response = await request(job.url, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json', [DELIVERY_ID_HEADER]: deliveryId }, body });
        await response.body.text();
        if (response.statusCode < 300) sent++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, runner));
  const finishedAtMs = Date.now();
  await dispatcher.close();
  return { sent, failed, finishedAtMs };
}

if (import.meta.main) serveParent({ post });
