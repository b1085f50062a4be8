import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a package the first time it is used. For heavy libraries only some processes need
 * (HTML inlining and sanitising, SMTP, phone metadata): an API process that never renders an
 * e-mail does not pay their memory, which is most of Herald's idle footprint. An ES module
 * (without top-level await) loads too: require() runs it synchronously on Node >= 22.12, from
 * the same module graph as `import`.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
