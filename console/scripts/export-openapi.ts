import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config/config.ts';
import { createHerald } from '../../src/herald.ts';

/**
 * Writes Herald's OpenAPI document from the in-process app (no server listening, a throwaway
 * SQLite directory), so the console's API types come from the routes themselves at build time.
 * Usage: node console/scripts/export-openapi.ts <output.json>
 */
export async function exportOpenApi(): Promise<unknown> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'herald-openapi-'));
  try {
    const herald = await createHerald(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { roles: ['api'] });
    try {
      const response = await herald.server!.inject({ method: 'GET', url: '/openapi.json' });
      if (response.statusCode !== 200) throw new Error(`GET /openapi.json answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      return response.json();
    } finally {
      await herald.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const output = process.argv[2];
  if (!output) throw new Error('usage: export-openapi.ts <output.json>');
  writeFileSync(output, `${JSON.stringify(await exportOpenApi(), null, 2)}\n`);
}
