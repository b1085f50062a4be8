import type { Clock } from '../clock.ts';
import { HeraldError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { insertEvents } from '../deliveries/delivery-events.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { EscalationsTable } from '../storage/schema.ts';
import { createPolledLeaseRunner } from './polled-lease-runner.ts';
import { createLeasedQueue, runAtLeasedTable } from './leased-queue.ts';

export const ESCALATIONS_QUEUE = runAtLeasedTable('escalations', 'running');


/** The idempotency key of one step's message: a step run again (after a crash before its advance) replays the first message. */
export const escalationIdempotencyKey = (escalationId: string, step: number) => `escalation:${escalationId}:${step}`;

/** A step as the type's escalation policy stored it (message-type-policies.ts); receivers are send API receivers, as JSON. */
interface StoredStep {
  afterSeconds: number;
  channels: string[];
  to?: unknown[];
}

/** A step's send, as POST /v1/messages would take it (the composition root makes the send request). */
export interface FollowUpSend {
  to: unknown[];
  channels: string[];
  template: string | undefined;
  content: unknown;
  data: Record<string, unknown>;
  metadata: Record<string, string>;
  /** The original message's priority index. */
  priority: number;
}

export interface EscalationRunnerOptions {
  database: HeraldDatabase;
  clock: Clock;
  /** Accepts a follow-up send for the app, as POST /v1/messages would with this idempotency key. */
  accept(appId: string, send: FollowUpSend, idempotencyKey: string): Promise<{ id: string }>;
  workerId: string;
  leaseSeconds: number;
  pollIntervalMs: number;
  logger: Logger;
}

export interface EscalationRunner {
  start(): void;
  stop(): Promise<void>;
  /** Runs every escalation step due now; answers how many escalations it looked at. Tests call it with a ManualClock. */
  runDue(): Promise<number>;
}

/**
 * Runs escalation steps in the scheduler role, exactly once however many schedulers run (a
 * leased row per message and receiver, like schedule-runner.ts). When a step is due, a
 * delivery to that receiver of the message, or of any message an earlier step sent, that was
 * acknowledged stops the escalation; otherwise the step sends the message again — same template
 * or content, data and receiver — on its channels, keyed by escalation and step, and the next
 * step is due its `afterSeconds` later. Each step is an `escalated` event in the message's trail.
 */
export function createEscalationRunner(options: EscalationRunnerOptions): EscalationRunner {
  const { database, clock, workerId } = options;
  const { db, dialect } = database;
  const log = options.logger.child({ component: 'escalation-runner', workerId });
  const queue = createLeasedQueue({ database, table: ESCALATIONS_QUEUE, workerId, leaseSeconds: options.leaseSeconds });

  async function acknowledged(escalation: EscalationsTable, followUps: string[]): Promise<boolean> {
    const row = await db
      .selectFrom('acknowledgements')
      .innerJoin('deliveries', 'deliveries.id', 'acknowledgements.delivery_id')
      .select('acknowledgements.delivery_id')
      .where((eb) =>
        eb.or([
          escalation.receiver === null
            ? eb('deliveries.message_id', '=', escalation.message_id)
            : eb.and([eb('deliveries.message_id', '=', escalation.message_id), eb('deliveries.receiver', '=', escalation.receiver)]),
          ...(followUps.length > 0 ? [eb('acknowledgements.message_id', 'in', followUps)] : []),
        ]),
      )
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A step without `to` reaches the escalation's receiver, or every receiver of the message for an escalation of the whole message. */
  async function receiversOf(escalation: EscalationsTable): Promise<unknown[]> {
    if (escalation.receiver !== null) return [JSON.parse(escalation.receiver)];
    const rows = await db.selectFrom('deliveries').select('receiver').distinct().where('message_id', '=', escalation.message_id).where('status', '!=', 'skipped').orderBy('receiver').execute();
    return rows.map((row) => JSON.parse(row.receiver) as unknown);
  }

  async function runStep(escalation: EscalationsTable): Promise<void> {
    const steps = JSON.parse(escalation.steps) as StoredStep[];
    const followUps = JSON.parse(escalation.follow_up_ids) as string[];
    const nowMs = clock.now();
    const base = { messageId: escalation.message_id, deliveryId: null, appId: escalation.app_id, at: nowMs };
    if (await acknowledged(escalation, followUps)) {
      await db
        .updateTable('escalations')
        .set({ status: 'acknowledged', run_at: null, lease_owner: null, lease_expires_at: null, updated_at: nowMs })
        .where('id', '=', escalation.id)
        .where(queue.held())
        .execute();
      log.info({ escalationId: escalation.id, messageId: escalation.message_id }, 'escalation stopped: acknowledged');
      return;
    }
    const index = escalation.next_step;
    const step = steps[index]!;
    const message = await db.selectFrom('messages').select(['template_code', 'content', 'data', 'metadata', 'priority']).where('id', '=', escalation.message_id).executeTakeFirstOrThrow();
    const body: FollowUpSend = {
      to: step.to ?? (await receiversOf(escalation)),
      channels: step.channels,
      template: message.content === null ? (message.template_code ?? undefined) : undefined,
      content: message.content === null ? undefined : JSON.parse(message.content),
      data: JSON.parse(message.data) as Record<string, unknown>,
      metadata: { ...(JSON.parse(message.metadata) as Record<string, string>), escalationOf: escalation.message_id, escalationStep: String(index + 1) },
      priority: message.priority,
    };
    const who = body.to.map((receiver) => JSON.stringify(receiver)).join(', ');
    const label = `step ${index + 1} of ${steps.length}, unacknowledged after ${step.afterSeconds} s`;
    let event: { code: string | null; detail: string };
    try {
      const followUp = await options.accept(escalation.app_id, body, escalationIdempotencyKey(escalation.id, index));
      followUps.push(followUp.id);
      event = { code: null, detail: `${label}: sent on ${step.channels.join(', ')} to ${who} as message ${followUp.id}` };
    } catch (error) {
      // A refusal (the channel's account removed, the template deleted) is this step's result; the next step may still reach the receiver.
      if (!(error instanceof HeraldError)) throw error;
      event = { code: error.code, detail: `${label}: not sent on ${step.channels.join(', ')} to ${who}: ${error.message}` };
    }
    const next = steps[index + 1];
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('escalations')
        .set({
          status: next ? 'waiting' : 'finished',
          next_step: index + 1,
          follow_up_ids: JSON.stringify(followUps),
          run_at: next ? nowMs + next.afterSeconds * 1000 : null,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: nowMs,
        })
        .where('id', '=', escalation.id)
        .where(queue.held())
        .executeTakeFirst();
      // Taken over meanwhile: the follow-up stands (its key makes a rerun replay it), the record is the new holder's to write.
      if (updated.numUpdatedRows > 0n) await insertEvents(trx, dialect, [{ ...base, type: 'escalated', code: event.code, detail: event.detail }]);
    });
    log.info({ escalationId: escalation.id, messageId: escalation.message_id, step: index + 1, code: event.code }, 'escalation step ran');
  }

  return createPolledLeaseRunner<EscalationsTable>({
    database,
    clock,
    queue,
    log,
    pollIntervalMs: options.pollIntervalMs,
    waitingStatus: 'waiting',
    run: runStep,
    what: 'escalation step',
  });
}
