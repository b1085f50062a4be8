import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a package the first time it is used. For heavy libraries only some processes need
 * (HTML inlining and sanitising, SMTP, phone metadata): an API process that never renders an
 * e-mail does not pay their memory, which is most of Herald's idle footprint. An ES module
 * (without top-level await) loads too: require() runs it synchronously on Node >= 22.12, from
 * the same module graph as `import`. `onLoad` configures the package once, when it is loaded.
 */
export function lazyRequire<T>(specifier: string, onLoad?: (loaded: T) => void): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) {
      loaded = require(specifier) as T;
      onLoad?.(loaded);
    }
    return loaded;
  };
}
