import fs from 'node:fs';
import path from 'node:path';

/**
 * Herald's files under DATA_DIR hold what protects everything else (the master key; the
 * database with encrypted credentials, password hashes and session hashes), so they are the
 * owner's only, whatever the umask. Modes are given explicitly; a umask can only narrow them.
 */

const PRIVATE_DIRECTORY_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `directory` and any missing parents as 0700. A directory that already exists keeps
 * its mode: it may be shared (a mounted volume, /tmp), and the files Herald keeps in it are
 * private themselves.
 */
export function ensurePrivateDirectory(directory: string): void {
  fs.mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
}

/** Narrows an existing file to 0600 when it is open to anyone but its owner (written by an earlier version or by hand). */
export function restrictToOwner(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & ~PRIVATE_FILE_MODE) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Readies a SQLite database file for opening: its directory as `ensurePrivateDirectory`
 * makes it, the file created 0600 when new, and the file, -wal and -shm narrowed to 0600.
 * SQLite creates -wal and -shm with the database file's mode, so they follow it.
 */
export function preparePrivateSqliteFile(file: string): void {
  ensurePrivateDirectory(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const companion of [file, `${file}-wal`, `${file}-shm`]) restrictToOwner(companion);
}
