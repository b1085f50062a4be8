import type { HeraldContext } from '../../context/herald-context.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { ChannelName } from '../../channels/channel-catalog.ts';
import type { RenderedMessage } from '../../providers/provider.ts';
import type { DeliveriesTable, MessagesTable } from '../../storage/schema.ts';
import { renderForChannel, validateRender } from '../../templates/render-message.ts';
import { inlineTemplateContent, type InlineContent, type TemplateContent, type VariablesSchema } from '../../templates/template-content.ts';
import type { ResolvedTemplate, TemplateGate } from './message-intake.ts';
import { LruCache } from '../../lru-cache.ts';

interface TemplateVersion {
  code: string;
  content: TemplateContent;
  variables: VariablesSchema;
}

/** Published versions never change, so they are cached for the life of the process (bounded). */
const VERSION_CACHE_SIZE = 1000;
const INLINE = 'inline';
/** Renderings shared by the receivers of one message; a few hundred covers the messages in flight. */
const SHARED_RENDER_CACHE_SIZE = 512;

/**
 * Inline content compiles like a template, keyed by the content itself: callers that send
 * the same text with different data (monitors, batches) reuse one compiled template.
 */
function inlineCacheKey(inline: InlineContent): string {
  return `${INLINE}:${JSON.stringify([inline.title, inline.summary, inline.body, inline.format, inline.url])}`;
}

export type MessageRenderer = ReturnType<typeof createMessageRenderer>;

/**
 * Renders messages from their inline content or their published template version:
 * checked once at accept time (TemplateGate) and rendered per delivery by the worker.
 */
export function createMessageRenderer({ database: { db } }: HeraldContext) {
  const versions = new LruCache<string, TemplateVersion>(VERSION_CACHE_SIZE);
  const renderedShared = new LruCache<string, RenderedMessage>(SHARED_RENDER_CACHE_SIZE);

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
    const loaded = { code: row.code, content: JSON.parse(row.content) as TemplateContent, variables: JSON.parse(row.variables) as VariablesSchema };
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

    async check(_appId, template, inline, channels, data, locale) {
      if (template) {
        const version = await loadVersion(template.id, template.version);
        validateRender({ cacheKey: `${template.id}@${template.version}`, templateCode: template.code, content: version.content, variables: version.variables, data, channels, locale });
      } else {
        validateRender({ cacheKey: inlineCacheKey(inline!), templateCode: INLINE, content: inlineTemplateContent(inline!), data, channels, locale });
      }
    },
  };

  async function renderDelivery(delivery: DeliveriesTable, message: MessagesTable): Promise<RenderedMessage> {
    const data = delivery.data ? { ...JSON.parse(message.data), ...JSON.parse(delivery.data) } : (JSON.parse(message.data) as Record<string, unknown>);
    const channel = delivery.channel as ChannelName;
    const locale = delivery.locale ?? undefined;
    if (message.template_id !== null && message.template_version !== null) {
      const version = await loadVersion(message.template_id, message.template_version);
      return renderForChannel({ cacheKey: `${message.template_id}@${message.template_version}`, templateCode: version.code, content: version.content, variables: version.variables, data, channel, locale });
    }
    const inline = JSON.parse(message.content!) as InlineContent;
    return renderForChannel({ cacheKey: inlineCacheKey(inline), templateCode: INLINE, content: inlineTemplateContent(inline), data, channel, locale });
  }

  return {
    gate,
    /** The worker's DeliveryRenderer. */
    async render(delivery: DeliveriesTable, message: MessagesTable): Promise<RenderedMessage> {
      // Receivers without variables of their own (most of a large send) share one rendering per channel and locale.
      const sharedKey = delivery.data === null ? `${message.id}\u0000${delivery.channel}\u0000${delivery.locale ?? ''}` : undefined;
      const shared = sharedKey !== undefined ? renderedShared.get(sharedKey) : undefined;
      if (shared) return shared;
      const rendered = await renderDelivery(delivery, message);
      if (sharedKey !== undefined) renderedShared.set(sharedKey, rendered);
      return rendered;
    },
  };
}
