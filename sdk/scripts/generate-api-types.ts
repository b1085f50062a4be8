/**
 * Generates sdk/src/api-types.ts from the OpenAPI document of an in-process Herald (API role, a
 * throwaway SQLite database), with openapi-typescript (installed under tools/openapi-typescript: it
 * needs TypeScript 5's compiler API). Run after changing a route's schema:
 *   node sdk/scripts/generate-api-types.ts
 * test/sdk/api-types-drift.test.ts fails while the committed file differs from what this generates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../../src/config/config.ts';
import { createHerald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';

export const API_TYPES_FILE = path.resolve(import.meta.dirname, '../src/api-types.ts');
const GENERATOR = path.resolve(import.meta.dirname, '../../tools/openapi-typescript/node_modules/openapi-typescript/dist/index.mjs');

const HEADER = `/**
 * Generated from Herald's /openapi.json by sdk/scripts/generate-api-types.ts (openapi-typescript).
 * Do not edit: run \`node sdk/scripts/generate-api-types.ts\` after changing a route's schema.
 */
`;

/** Herald's OpenAPI document, from a Herald started in this process on a scratch database. */
export async function heraldOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-openapi-'));
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const config = parseConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  const herald = await createHerald(config, { roles: ['api'], logger: createLogger('warn', quiet) });
  try {
    const response = await herald.server!.inject({ method: 'GET', url: '/openapi.json' });
    return JSON.parse(response.body) as Record<string, unknown>;
  } finally {
    await herald.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function generateApiTypes(): Promise<string> {
  const { default: openapiTS, astToString } = (await import(pathToFileURL(GENERATOR).href)) as {
    default: (schema: unknown, options?: Record<string, unknown>) => Promise<unknown>;
    astToString: (ast: unknown) => string;
  };
  const document = await heraldOpenApiDocument();
  const ast = await openapiTS(document, { exportType: false, alphabetize: true });
  return HEADER + astToString(ast);
}

if (import.meta.main) {
  fs.writeFileSync(API_TYPES_FILE, await generateApiTypes());
  console.log(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)}`);
}
