import * as libphonenumber from 'libphonenumber-js/min';

/**
 * The browser build of `src/lazy-require.ts` (aliased in vite.config.ts). Herald's field checks
 * that the console runs in the browser (subscriber addresses) load libphonenumber on first use
 * through `lazyRequire`, which needs Node's `require`; here the packages those checks name are
 * imported with the page that uses them. A specifier missing here fails loudly, not silently.
 */
const MODULES: Record<string, unknown> = { 'libphonenumber-js/min': libphonenumber };

export function lazyRequire<T>(specifier: string): () => T {
  return () => {
    if (!(specifier in MODULES)) throw new Error(`${specifier} is not available in the console's browser build (console/src/browser/lazy-require.ts)`);
    return MODULES[specifier] as T;
  };
}
