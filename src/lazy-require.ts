import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a CommonJS package the first time it is used. For heavy libraries only some
 * processes need (HTML inlining and sanitising, SMTP): an API process that never renders an
 * e-mail does not pay their memory, which is most of Herald's idle footprint.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
