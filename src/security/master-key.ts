import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { decodeMasterKey } from '../config/config.ts';
import { ensurePrivateDirectory, restrictToOwner } from '../storage/private-files.ts';

/**
 * The configured HERALD_MASTER_KEY, or a key generated on first start into
 * `<dataDir>/master.key` with 0600 permissions (a key file found looser is narrowed).
 * Losing that file makes every stored secret unreadable, which is why production should
 * set the variable.
 */
export function loadOrCreateMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) return decodeMasterKey(configured)!;
  const file = path.join(dataDir, 'master.key');
  ensurePrivateDirectory(dataDir);
  try {
    const key = decodeMasterKey(fs.readFileSync(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a 32-byte key (64 hex characters)`);
    restrictToOwner(file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    // 'wx' fails if another process created the file first; then read theirs.
    fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return decodeMasterKey(fs.readFileSync(file, 'utf8'))!;
    throw error;
  }
}
