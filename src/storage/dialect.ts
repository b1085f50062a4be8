import type { StorageConfig } from '../config/config.ts';

/** Which database Herald runs on; what each can do is decided once, where the SQL differs. */
export type Dialect = StorageConfig['dialect'];
