/**
 * Generates sdk/src/api-types.ts from the OpenAPI document of an in-process Herald (API role, a
 * throwaway SQLite database), with openapi-typescript (installed under tools/openapi-typescript: it
 * needs TypeScript 5's compiler API). Run after changing a route's schema:
 *   node sdk/scripts/generate-api-types.ts
 * test/sdk/api-types-drift.test.ts fails while the committed file differs from what this generates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
// The same in-process document the console's build types itself from.
import { exportOpenApi } from '../../console/scripts/export-openapi.ts';

export const API_TYPES_FILE = path.resolve(import.meta.dirname, '../src/api-types.ts');
const GENERATOR = path.resolve(import.meta.dirname, '../../tools/openapi-typescript/node_modules/openapi-typescript/dist/index.mjs');

const HEADER = `/**
 * Generated from Herald's /openapi.json by sdk/scripts/generate-api-types.ts (openapi-typescript).
 * Do not edit: run \`node sdk/scripts/generate-api-types.ts\` after changing a route's schema.
 */
`;

export async function generateApiTypes(): Promise<string> {
  const { default: openapiTS, astToString } = (await import(pathToFileURL(GENERATOR).href)) as {
    default: (schema: unknown, options?: Record<string, unknown>) => Promise<unknown>;
    astToString: (ast: unknown) => string;
  };
  const document = await exportOpenApi();
  const ast = await openapiTS(document, { exportType: false, alphabetize: true });
  return HEADER + astToString(ast);
}

if (import.meta.main) {
  fs.writeFileSync(API_TYPES_FILE, await generateApiTypes());
  console.log(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)}`);
}
