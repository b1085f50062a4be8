import type { Kysely } from 'kysely';
import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, HeraldError, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { ChannelName } from '../../channels/channel-catalog.ts';
import type { RenderedMessage } from '../../providers/provider.ts';
import { checkCursor } from '../page-cursor.ts';
import { insertUnique } from '../../storage/insert-unique.ts';
import type { HeraldSchema, TemplatesTable, TemplateVersionsTable } from '../../storage/schema.ts';
import type { TemplateContent, VariablesSchema } from '../../templates/template-content.ts';
import type { TemplateRenderer } from '../../templates/template-renderer.ts';
import { exampleData } from '../../templates/variables-check.ts';
import type { AcceptedMessage, MessageIntake, TemplateGate } from '../messages/message-intake.ts';
import type { Receiver, SendRequestBody } from '../messages/send-request-schema.ts';
import { assertTemplateCode, checkDefaultChannels, isTemplateCode, checkTemplateContent, checkVariablesSchema, contentFieldError, templateChannels } from './template-draft.ts';
import { isoTime } from '../../iso-time.ts';

/**
 * Templates of one app: a draft edited freely and checked at save time, and immutable
 * published versions (template_versions) that sends render and record. Publishing copies
 * the draft into version n+1. Test sends of a draft store it as a "draft snapshot": a
 * template_versions row with a negative number, never published, so the ordinary pipeline
 * renders exactly what was tested and the message records which snapshot it was.
 */

/** What a version holds (and what the draft holds): the parts sends render from. */
export interface TemplateDefinition {
  defaultChannels: ChannelName[];
  variables: VariablesSchema;
  content: TemplateContent;
}

export interface TemplateSummary {
  id: string;
  code: string;
  name: string;
  description: string;
  defaultChannels: ChannelName[];
  /** The version sends use; null until the draft is first published. */
  publishedVersion: number | null;
  /** True when the draft differs from the published version (always, before the first publish). */
  hasUnpublishedChanges: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A template with its draft. */
export interface TemplateView extends TemplateSummary {
  variables: VariablesSchema;
  content: TemplateContent;
}

export interface TemplatePage {
  items: TemplateSummary[];
  nextCursor: string | null;
}

export interface TemplateInput {
  code: string;
  /** Defaults to the code. */
  name?: string;
  description?: string;
  defaultChannels?: string[];
  variables?: unknown;
  content: unknown;
  /** Publish the draft as version 1 in the same step. */
  publish?: boolean;
}

/** Fields given replace the draft's; `content` and `variables` are replaced whole. */
export interface TemplateDraftPatch {
  name?: string;
  description?: string;
  defaultChannels?: string[];
  variables?: unknown;
  content?: unknown;
  /** Publish the resulting draft in the same step. */
  publish?: boolean;
}

export type TemplateVersionKind = 'published' | 'draft-snapshot';

export interface TemplateVersionSummary {
  version: number;
  kind: TemplateVersionKind;
  /** The version sends use now. */
  current: boolean;
  publishedAt: string;
  /** The console user's e-mail or the access key id that published it. */
  publishedBy: string | null;
}

export interface TemplateVersionView extends TemplateVersionSummary, TemplateDefinition {}

export interface TemplateVersionPage {
  items: TemplateVersionSummary[];
  nextCursor: number | null;
}

/** A published (or snapshot) version number, or the current draft. */
export type VersionSelector = number | 'draft';

export interface PreviewRequest {
  /** Defaults to the variables' example values. */
  data?: Record<string, unknown>;
  locale?: string;
  /** Defaults to the template's channels (default channels and overridden ones, else every channel it can render). */
  channels?: ChannelName[];
  /** Defaults to the draft. */
  version?: VersionSelector;
}

export interface PreviewResult {
  version: VersionSelector;
  channels: Partial<Record<ChannelName, RenderedMessage>>;
}

export interface TestSendRequest {
  to: Receiver[];
  channels?: ChannelName[];
  /** Defaults to the variables' example values. */
  data?: Record<string, unknown>;
  locale?: string;
  /** Defaults to the draft. */
  version?: VersionSelector;
}

export const DEFAULT_TEMPLATE_PAGE_LIMIT = 50;
export const MAX_TEMPLATE_PAGE_LIMIT = 200;
export const MAX_TEST_SEND_RECEIVERS = 10;
/** Version numbers are 32-bit integer columns; a larger one in a request is refused, not sent to the database. */
export const MAX_TEMPLATE_VERSION = 2_147_483_647;
/** Marks test sends in the message metadata (`GET /v1/messages?metadata=testSend:true`). */
export const TEST_SEND_METADATA = { testSend: 'true' } as const;

export interface TemplateServiceDeps {
  /** The send pipeline's gate: checks a pinned version at accept exactly as a normal send. */
  gate: TemplateGate;
  /** The send intake with another template gate (test sends pin the version to send). */
  intakeWith(gate: TemplateGate): MessageIntake;
  /** Previews and publishing render on the render threads, within a request's budget. */
  renderer: TemplateRenderer;
}

type Db = Kysely<HeraldSchema>;
type DefinitionColumns = Pick<TemplatesTable, 'default_channels' | 'variables'> & { content: string };


function draftColumns(row: TemplatesTable): DefinitionColumns {
  return { default_channels: row.default_channels, variables: row.variables, content: row.draft_content };
}

/** Versions copy the draft's JSON text, so equal text is an unchanged draft. */
function sameDefinition(a: DefinitionColumns, b: DefinitionColumns): boolean {
  return a.default_channels === b.default_channels && a.variables === b.variables && a.content === b.content;
}

function parseDefinition(columns: DefinitionColumns): TemplateDefinition {
  return {
    defaultChannels: JSON.parse(columns.default_channels) as ChannelName[],
    variables: JSON.parse(columns.variables) as VariablesSchema,
    content: JSON.parse(columns.content) as TemplateContent,
  };
}

function toSummary(row: TemplatesTable, published: DefinitionColumns | undefined): TemplateSummary {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    defaultChannels: JSON.parse(row.default_channels) as ChannelName[],
    publishedVersion: row.published_version,
    hasUnpublishedChanges: !published || !sameDefinition(draftColumns(row), published),
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

function toView(row: TemplatesTable, published: DefinitionColumns | undefined): TemplateView {
  const { variables, content } = parseDefinition(draftColumns(row));
  return { ...toSummary(row, published), variables, content };
}

function toVersionSummary(row: Pick<TemplateVersionsTable, 'version' | 'published_at' | 'published_by'>, publishedVersion: number | null): TemplateVersionSummary {
  return {
    version: row.version,
    kind: row.version > 0 ? 'published' : 'draft-snapshot',
    current: row.version === publishedVersion,
    publishedAt: isoTime(row.published_at),
    publishedBy: row.published_by,
  };
}

const templateNotFound = (code: string) => notFound('TEMPLATE_NOT_FOUND', `No template "${code}" in this app`);

export type TemplateService = ReturnType<typeof createTemplateService>;

export function createTemplateService({ database: { db }, clock }: HeraldContext, deps: TemplateServiceDeps) {
  async function findRow(executor: Db, appId: string, code: string): Promise<TemplatesTable> {
    const row = await executor.selectFrom('templates').selectAll().where('app_id', '=', appId).where('code', '=', code).executeTakeFirst();
    if (!row) throw templateNotFound(code);
    return row;
  }

  async function findVersion(executor: Db, row: TemplatesTable, version: number): Promise<TemplateVersionsTable> {
    const found = await executor.selectFrom('template_versions').selectAll().where('template_id', '=', row.id).where('version', '=', version).executeTakeFirst();
    if (!found) throw notFound('TEMPLATE_VERSION_NOT_FOUND', `Template "${row.code}" has no version ${version}`, { field: 'version' });
    return found;
  }

  async function publishedOf(executor: Db, row: TemplatesTable): Promise<TemplateVersionsTable | undefined> {
    return row.published_version === null ? undefined : findVersion(executor, row, row.published_version);
  }

  /**
   * Copies the draft into version n+1 and makes it the one sends use. `tested` is the draft
   * that testRenderWithExamples rendered before the transaction (rendering inside it would hold
   * the database for the render). Two concurrent publishes race for the same (template,
   * version) key: the loser gets a 409.
   */
  async function publishDraft(trx: Db, row: TemplatesTable, actor: string, tested: DefinitionColumns): Promise<{ row: TemplatesTable; published: TemplateVersionsTable }> {
    const current = await publishedOf(trx, row);
    if (current && sameDefinition(draftColumns(row), current)) {
      throw conflict('TEMPLATE_UNCHANGED', `The draft of "${row.code}" is the same as its published version ${current.version}; change the draft before publishing`);
    }
    if (!sameDefinition(draftColumns(row), tested)) {
      throw conflict('TEMPLATE_PUBLISH_CONFLICT', `The draft of "${row.code}" was changed by someone else while it was being published; reload it and publish again if needed`);
    }
    const now = clock.now();
    const published: TemplateVersionsTable = { template_id: row.id, version: (row.published_version ?? 0) + 1, ...draftColumns(row), published_at: now, published_by: actor };
    const inserted = await trx
      .insertInto('template_versions')
      .values(published)
      .onConflict((oc) => oc.columns(['template_id', 'version']).doNothing())
      .returning('version')
      .executeTakeFirst();
    const updated =
      inserted &&
      (await trx
        .updateTable('templates')
        .set({ published_version: published.version, updated_at: now })
        .where('id', '=', row.id)
        .where((eb) => (row.published_version === null ? eb('published_version', 'is', null) : eb('published_version', '=', row.published_version)))
        .executeTakeFirst());
    if (!updated || updated.numUpdatedRows === 0n) {
      throw conflict('TEMPLATE_PUBLISH_CONFLICT', `Template "${row.code}" was published by someone else at the same time; reload it and publish again if needed`);
    }
    return { row: { ...row, published_version: published.version, updated_at: now }, published };
  }

  /** Schema-checks draft content and parses its Liquid on a render thread (a large template takes long to parse); answers it as stored. */
  async function checkedContent(appId: string, code: string, content: unknown): Promise<string> {
    const checked = checkTemplateContent(code, content);
    try {
      await deps.renderer.parse({ templateCode: code, content: checked }, appId);
    } catch (error) {
      throw contentFieldError(error);
    }
    return JSON.stringify(checked);
  }

  /** A version must render for its channels (and each locale variant) with the declared example values. Answers the draft it rendered. */
  async function testRenderWithExamples(row: TemplatesTable): Promise<DefinitionColumns> {
    const { defaultChannels, variables, content } = parseDefinition(draftColumns(row));
    const channels = templateChannels(content, defaultChannels);
    const data = exampleData(variables);
    try {
      const items = [undefined, ...Object.keys(content.locales ?? {})].map((locale) => ({ data, channels, locale }));
      await deps.renderer.renderAll({ templateCode: row.code, content, variables }, items, { queueKey: row.app_id, output: false });
      return draftColumns(row);
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      throw new HeraldError(
        error.kind,
        error.code,
        `Publishing test-renders the draft with the variables' example values, and it failed: ${error.message}`,
        error.details,
      );
    }
  }

  /**
   * The version a test send renders: a number as given; the draft as the published
   * version when they are equal, else as its latest snapshot when that is equal, else as
   * a new snapshot numbered below the last one.
   */
  async function versionForTestSend(row: TemplatesTable, selector: VersionSelector, actor: string): Promise<TemplateVersionsTable> {
    if (selector !== 'draft') return findVersion(db, row, selector);
    const published = await publishedOf(db, row);
    if (published && sameDefinition(draftColumns(row), published)) return published;
    // Concurrent test sends race for the next snapshot number: on a lost race, look again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const latest = await db.selectFrom('template_versions').selectAll().where('template_id', '=', row.id).where('version', '<', 0).orderBy('version').limit(1).executeTakeFirst();
      if (latest && sameDefinition(draftColumns(row), latest)) return latest;
      const snapshot: TemplateVersionsTable = { template_id: row.id, version: (latest?.version ?? 0) - 1, ...draftColumns(row), published_at: clock.now(), published_by: actor };
      const inserted = await db
        .insertInto('template_versions')
        .values(snapshot)
        .onConflict((oc) => oc.columns(['template_id', 'version']).doNothing())
        .returning('version')
        .executeTakeFirst();
      if (inserted) return snapshot;
    }
    throw conflict('TEMPLATE_BUSY', `Template "${row.code}" is being test-sent by others right now; try again`);
  }

  return {
    async create(appId: string, input: TemplateInput, actor: string): Promise<TemplateView> {
      assertTemplateCode(input.code);
      const now = clock.now();
      const row: TemplatesTable = {
        id: newId('tpl', now),
        app_id: appId,
        code: input.code,
        name: input.name ?? input.code,
        description: input.description ?? '',
        default_channels: JSON.stringify(checkDefaultChannels(input.defaultChannels ?? [])),
        variables: JSON.stringify(checkVariablesSchema(input.code, input.variables ?? [])),
        draft_content: await checkedContent(appId, input.code, input.content),
        published_version: null,
        created_at: now,
        updated_at: now,
      };
      const tested = input.publish ? await testRenderWithExamples(row) : undefined;
      return db.transaction().execute(async (trx) => {
        await insertUnique(trx, 'templates', row, ['app_id', 'code'], () =>
          conflict('TEMPLATE_CODE_TAKEN', `code: this app already has a template "${input.code}"; change it with PATCH /v1/templates/${input.code}`, { field: 'code' }),
        );
        if (!tested) return toView(row, undefined);
        const result = await publishDraft(trx, row, actor, tested);
        return toView(result.row, result.published);
      });
    },

    /** Pages ordered by code; `cursor` is the previous page's `nextCursor`. */
    async list(appId: string, page: { cursor?: string; limit?: number } = {}): Promise<TemplatePage> {
      const limit = Math.min(page.limit ?? DEFAULT_TEMPLATE_PAGE_LIMIT, MAX_TEMPLATE_PAGE_LIMIT);
      let query = db
        .selectFrom('templates')
        .leftJoin('template_versions as published', (join) =>
          join.onRef('published.template_id', '=', 'templates.id').onRef('published.version', '=', 'templates.published_version'),
        )
        .selectAll('templates')
        .select(['published.default_channels as published_default_channels', 'published.variables as published_variables', 'published.content as published_content'])
        .where('templates.app_id', '=', appId);
      checkCursor(page.cursor, isTemplateCode);
      if (page.cursor !== undefined) query = query.where('templates.code', '>', page.cursor);
      const rows = await query.orderBy('templates.code').limit(limit + 1).execute();
      const items = rows.slice(0, limit).map(({ published_default_channels, published_variables, published_content, ...row }) =>
        toSummary(
          row,
          published_content === null ? undefined : { default_channels: published_default_channels!, variables: published_variables!, content: published_content },
        ),
      );
      return { items, nextCursor: rows.length > limit ? items.at(-1)!.code : null };
    },

    async get(appId: string, code: string): Promise<TemplateView> {
      const row = await findRow(db, appId, code);
      return toView(row, await publishedOf(db, row));
    },

    async updateDraft(appId: string, code: string, patch: TemplateDraftPatch, actor: string): Promise<TemplateView> {
      const row = await findRow(db, appId, code);
      // published_version is not written here: a concurrent publish may have moved it.
      const draft: Partial<TemplatesTable> = {
        name: patch.name ?? row.name,
        description: patch.description ?? row.description,
        default_channels: patch.defaultChannels === undefined ? row.default_channels : JSON.stringify(checkDefaultChannels(patch.defaultChannels)),
        variables: patch.variables === undefined ? row.variables : JSON.stringify(checkVariablesSchema(code, patch.variables)),
        draft_content: patch.content === undefined ? row.draft_content : await checkedContent(appId, code, patch.content),
        updated_at: clock.now(),
      };
      const tested = patch.publish ? await testRenderWithExamples({ ...row, ...draft }) : undefined;
      return db.transaction().execute(async (trx) => {
        await trx.updateTable('templates').set(draft).where('id', '=', row.id).execute();
        const saved = await findRow(trx, appId, code);
        if (!tested) return toView(saved, await publishedOf(trx, saved));
        const result = await publishDraft(trx, saved, actor, tested);
        return toView(result.row, result.published);
      });
    },

    async publish(appId: string, code: string, actor: string): Promise<TemplateView> {
      const tested = await testRenderWithExamples(await findRow(db, appId, code));
      return db.transaction().execute(async (trx) => {
        const result = await publishDraft(trx, await findRow(trx, appId, code), actor, tested);
        return toView(result.row, result.published);
      });
    },

    /**
     * Deletes the template and its versions. Refused while a message rendered from it still
     * has deliveries to send: they read their version from template_versions.
     */
    async delete(appId: string, code: string): Promise<void> {
      const row = await findRow(db, appId, code);
      const { count } = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('app_id', '=', appId)
        .where('template_id', '=', row.id)
        .where('pending_count', '>', 0)
        .executeTakeFirstOrThrow();
      const pending = Number(count);
      if (pending > 0) {
        throw conflict(
          'TEMPLATE_IN_USE',
          `Template "${code}" is used by ${pending} message${pending > 1 ? 's' : ''} still being delivered; delete it once they complete, or cancel them first`,
          { pendingMessages: pending },
        );
      }
      await db.deleteFrom('templates').where('id', '=', row.id).execute();
    },

    /** Published versions, newest first; `cursor` is the previous page's `nextCursor`. */
    async listVersions(appId: string, code: string, page: { cursor?: number; limit?: number } = {}): Promise<TemplateVersionPage> {
      const row = await findRow(db, appId, code);
      const limit = Math.min(page.limit ?? DEFAULT_TEMPLATE_PAGE_LIMIT, MAX_TEMPLATE_PAGE_LIMIT);
      let query = db
        .selectFrom('template_versions')
        .select(['version', 'published_at', 'published_by'])
        .where('template_id', '=', row.id)
        .where('version', '>', 0);
      checkCursor(page.cursor, (cursor) => cursor >= 1);
      if (page.cursor !== undefined) query = query.where('version', '<', page.cursor);
      const rows = await query.orderBy('version', 'desc').limit(limit + 1).execute();
      const items = rows.slice(0, limit).map((version) => toVersionSummary(version, row.published_version));
      return { items, nextCursor: rows.length > limit ? items.at(-1)!.version : null };
    },

    /** A published version, or a draft snapshot (negative number) that a test send recorded. */
    async getVersion(appId: string, code: string, version: number): Promise<TemplateVersionView> {
      const row = await findRow(db, appId, code);
      const found = await findVersion(db, row, version);
      return { ...toVersionSummary(found, row.published_version), ...parseDefinition(found) };
    },

    /** Renders the draft or a version for each channel, as receivers would get it; a render error is a 422 naming the variable or field. */
    async preview(appId: string, code: string, request: PreviewRequest): Promise<PreviewResult> {
      const row = await findRow(db, appId, code);
      const version = request.version ?? 'draft';
      const { defaultChannels, variables, content } = parseDefinition(version === 'draft' ? draftColumns(row) : await findVersion(db, row, version));
      const [rendered] = await deps.renderer.renderAll(
        // A version renders from the compile cache the workers share; drafts change, so they are compiled each time.
        { cacheKey: version === 'draft' ? undefined : `${row.id}@${version}`, templateCode: row.code, content, variables },
        [{ data: request.data ?? exampleData(variables), channels: request.channels ?? templateChannels(content, defaultChannels), locale: request.locale }],
        { queueKey: appId, output: true },
      );
      return { version, channels: Object.fromEntries(rendered) };
    },

    /**
     * Sends one real message through the normal intake — checked, queued, delivered and
     * traced like any other — pinned to the chosen version and marked `testSend: "true"`.
     */
    async testSend(appId: string, code: string, request: TestSendRequest, actor: string): Promise<AcceptedMessage> {
      const row = await findRow(db, appId, code);
      const version = await versionForTestSend(row, request.version ?? 'draft', actor);
      const { defaultChannels, variables } = parseDefinition(version);
      const pinned: TemplateGate = {
        resolve: async () => ({ id: row.id, code: row.code, version: version.version, defaultChannels }),
        check: deps.gate.check,
      };
      const body: SendRequestBody = {
        to: request.to,
        template: row.code,
        data: request.data ?? exampleData(variables),
        metadata: { ...TEST_SEND_METADATA },
        ...(request.channels ? { channels: request.channels } : {}),
        ...(request.locale !== undefined ? { locale: request.locale } : {}),
      };
      return deps.intakeWith(pinned).accept(appId, body, undefined);
    },
  };
}
