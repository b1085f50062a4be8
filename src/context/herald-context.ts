import type { Clock } from '../clock.ts';
import type { HeraldConfig } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DatabaseNotifications } from '../storage/database-notifications.ts';

/** What every service factory receives from the composition root (src/herald.ts). */
export interface HeraldContext {
  config: HeraldConfig;
  database: HeraldDatabase;
  clock: Clock;
  cryptoBox: CryptoBox;
  logger: Logger;
  /** Hints between processes (inbox changes): LISTEN/NOTIFY on PostgreSQL, in-process on SQLite. */
  notifications: DatabaseNotifications;
}
