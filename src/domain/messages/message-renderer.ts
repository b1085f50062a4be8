import type { HeraldContext } from '../../context/herald-context.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { ChannelName } from '../../channels/channel-catalog.ts';
import type { RenderedMessage } from '../../providers/provider.ts';
import type { DeliveriesTable, MessagesTable } from '../../storage/schema.ts';
import type { RenderItem, TemplateRef } from '../../templates/render-task.ts';
import { inlineTemplateContent, type InlineContent, type TemplateContent, type VariablesSchema } from '../../templates/template-content.ts';
import type { TemplateRenderer } from '../../templates/template-renderer.ts';
import type { ResolvedTemplate, TemplateGate } from './message-intake.ts';
import { LruCache } from '../../lru-cache.ts';
import type { AckLinks } from '../../security/ack-links.ts';

interface TemplateVersion {
  code: string;
  content: TemplateContent;
  variables: VariablesSchema;
  /** Renders `{{ ack_url }}`: each delivery gets its own link, so its rendering is never shared. */
  mentionsAckUrl: boolean;
  /** Has Liquid markup or declared variables: without either, the data cannot change a rendering or its check. */
  dependsOnData: boolean;
}

/** The variable a template uses for the delivery's signed acknowledgement link. */
export const ACK_URL_VARIABLE = 'ack_url';

/** Published versions never change, so they are cached for the life of the process (bounded). */
const VERSION_CACHE_SIZE = 1000;
const INLINE = 'inline';
/** Renderings shared by the receivers of one message; a few hundred covers the messages in flight. */
const SHARED_RENDER_CACHE_SIZE = 512;
/** Checks passed by content without Liquid markup (by content, channels and locale). */
const PASSED_STATIC_CHECK_CACHE_SIZE = 1000;

/** Liquid needs `{{` or `{%`; content (or its JSON text) with neither renders the same for any data. */
function hasLiquidMarkup(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/**
 * Inline content compiles like a template, keyed by the content itself: callers that send
 * the same text with different data (monitors, batches) reuse one compiled template.
 */
function inlineCacheKey(inline: InlineContent): string {
  return `${INLINE}:${JSON.stringify([inline.title, inline.summary, inline.body, inline.format, inline.url])}`;
}

function inlineRef(inline: InlineContent): TemplateRef & { cacheKey: string } {
  return { cacheKey: inlineCacheKey(inline), templateCode: INLINE, content: inlineTemplateContent(inline) };
}

/** Inline content has no declared variables: only Liquid markup makes its rendering depend on data. */
function inlineRefOf(inline: InlineContent): { ref: TemplateRef & { cacheKey: string }; dependsOnData: boolean } {
  const ref = inlineRef(inline);
  return { ref, dependsOnData: hasLiquidMarkup(ref.cacheKey) };
}

interface PendingDelivery {
  item: RenderItem;
  resolve(rendered: RenderedMessage): void;
  reject(error: Error): void;
}

/**
 * Renders messages from their inline content or their published template version, on the
 * render threads: checked once at accept time (TemplateGate) and rendered per delivery by
 * the worker. The deliveries of one message asked for in the same event-loop turn (a
 * claimed batch) go to the threads together.
 */
export function createMessageRenderer({ database: { db } }: HeraldContext, templates: TemplateRenderer, ackLinks?: AckLinks) {
  const versions = new LruCache<string, TemplateVersion>(VERSION_CACHE_SIZE);
  const renderedShared = new LruCache<string, Promise<RenderedMessage>>(SHARED_RENDER_CACHE_SIZE);
  const passedStaticChecks = new LruCache<string, true>(PASSED_STATIC_CHECK_CACHE_SIZE);
  const pendingByMessage = new Map<string, { template: TemplateRef; appId: string; deliveries: PendingDelivery[] }>();

  async function loadVersion(templateId: string, version: number): Promise<TemplateVersion> {
    const cacheKey = `${templateId}@${version}`;
    const cached = versions.get(cacheKey);
    if (cached) return cached;
    const row = await db
      .selectFrom('template_versions')
      .innerJoin('templates', 'templates.id', 'template_versions.template_id')
      .select(['templates.code', 'template_versions.content', 'template_versions.variables'])
      .where('template_versions.template_id', '=', templateId)
      .where('template_versions.version', '=', version)
      .executeTakeFirst();
    if (!row) throw notFound('TEMPLATE_VERSION_NOT_FOUND', `Template ${templateId} has no version ${version}`);
    const variables = JSON.parse(row.variables) as VariablesSchema;
    const loaded = {
      code: row.code,
      content: JSON.parse(row.content) as TemplateContent,
      variables,
      mentionsAckUrl: row.content.includes(ACK_URL_VARIABLE),
      dependsOnData: hasLiquidMarkup(row.content) || variables.length > 0,
    };
    versions.set(cacheKey, loaded);
    return loaded;
  }

  const gate: TemplateGate = {
    async resolve(appId, code) {
      const row = await db.selectFrom('templates').select(['id', 'code', 'published_version']).where('app_id', '=', appId).where('code', '=', code).executeTakeFirst();
      if (!row) throw unprocessable('TEMPLATE_NOT_FOUND', `template: no template "${code}" in this app`, { field: 'template' });
      if (row.published_version === null) throw unprocessable('TEMPLATE_NOT_PUBLISHED', `template: "${code}" has no published version yet; publish its draft first`, { field: 'template' });
      const published = await db
        .selectFrom('template_versions')
        .select('default_channels')
        .where('template_id', '=', row.id)
        .where('version', '=', row.published_version)
        .executeTakeFirstOrThrow();
      return { id: row.id, code: row.code, version: row.published_version, defaultChannels: JSON.parse(published.default_channels) as ChannelName[] } satisfies ResolvedTemplate;
    },

    async check(appId, template, inline, channels, dataSets, locale) {
      const { ref, dependsOnData } = template ? await versionRefOf(template.id, template.version) : inlineRefOf(inline!);
      // Static content (a monitor's fixed text) passes or fails the same for any data: one check, then none (no thread hop per accept).
      const staticKey = dependsOnData ? undefined : `${ref.cacheKey}|${channels.join(',')}|${locale ?? ''}`;
      if (staticKey !== undefined && passedStaticChecks.get(staticKey)) return;
      // Each delivery gets its own link when rendered; any well-formed one stands in for it here.
      const sampleAckUrl = ackLinks?.urlFor('dlv_check');
      const withAckUrl = (data: Record<string, unknown>) => (sampleAckUrl === undefined ? data : { ...data, [ACK_URL_VARIABLE]: sampleAckUrl });
      await templates.renderAll(ref, dataSets.map((data) => ({ data: withAckUrl(data), channels, locale })), { queueKey: appId, output: false });
      if (staticKey !== undefined) passedStaticChecks.set(staticKey, true);
    },
  };

  async function versionRefOf(templateId: string, version: number): Promise<{ ref: TemplateRef & { cacheKey: string }; dependsOnData: boolean }> {
    const loaded = await loadVersion(templateId, version);
    return { ref: { cacheKey: `${templateId}@${version}`, templateCode: loaded.code, content: loaded.content, variables: loaded.variables }, dependsOnData: loaded.dependsOnData };
  }

  async function renderDelivery(delivery: DeliveriesTable, message: MessagesTable): Promise<RenderedMessage> {
    const data = delivery.data ? { ...JSON.parse(message.data), ...JSON.parse(delivery.data) } : (JSON.parse(message.data) as Record<string, unknown>);
    const ackUrl = ackLinks?.urlFor(delivery.id);
    if (ackUrl !== undefined) data[ACK_URL_VARIABLE] = ackUrl;
    const channel = delivery.channel as ChannelName;
    const item: RenderItem = { data, channels: [channel], locale: delivery.locale ?? undefined };
    let template: TemplateRef;
    if (message.template_id !== null && message.template_version !== null) {
      template = (await versionRefOf(message.template_id, message.template_version)).ref;
    } else {
      template = inlineRef(JSON.parse(message.content!) as InlineContent);
    }
    return new Promise<RenderedMessage>((resolve, reject) => {
      let pending = pendingByMessage.get(message.id);
      if (!pending) {
        pending = { template, appId: message.app_id, deliveries: [] };
        pendingByMessage.set(message.id, pending);
        // The rest of the claimed batch asks within this turn.
        if (pendingByMessage.size === 1) setImmediate(renderPending);
      }
      pending.deliveries.push({ item, resolve, reject });
    });
  }

  async function mentionsAckUrl(message: MessagesTable): Promise<boolean> {
    if (message.template_id !== null && message.template_version !== null) return (await loadVersion(message.template_id, message.template_version)).mentionsAckUrl;
    return message.content !== null && message.content.includes(ACK_URL_VARIABLE);
  }

  function renderPending(): void {
    const groups = [...pendingByMessage.values()];
    pendingByMessage.clear();
    for (const { template, appId, deliveries } of groups) {
      templates.renderEach(template, deliveries.map((delivery) => delivery.item), appId).then(
        (results) =>
          results.forEach((result, k) => {
            if (result instanceof Error) deliveries[k].reject(result);
            else deliveries[k].resolve(result.values().next().value!);
          }),
        (error: Error) => deliveries.forEach((delivery) => delivery.reject(error)),
      );
    }
  }

  return {
    gate,
    /** The worker's DeliveryRenderer. */
    async render(delivery: DeliveriesTable, message: MessagesTable): Promise<RenderedMessage> {
      // Receivers without variables of their own (most of a large send) share one rendering per channel and locale.
      if (delivery.data !== null || (ackLinks !== undefined && (await mentionsAckUrl(message)))) return renderDelivery(delivery, message);
      const sharedKey = `${message.id}\u0000${delivery.channel}\u0000${delivery.locale ?? ''}`;
      let shared = renderedShared.get(sharedKey);
      if (!shared) {
        shared = renderDelivery(delivery, message);
        renderedShared.set(sharedKey, shared);
        // A failure is not kept: the next attempt renders again.
        shared.catch(() => renderedShared.delete(sharedKey));
      }
      return shared;
    },
  };
}
