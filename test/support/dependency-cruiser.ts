import { createRequire, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * dependency-cruiser reads TypeScript through TypeScript's classic compiler API, which
 * TypeScript 7 (the project's tsc) no longer has. The `typescript` it asks for comes from
 * tools/typescript-6 instead, where TypeScript 6 is installed for it alone.
 */
const fromTypescript6 = createRequire(new URL('../../tools/typescript-6/package.json', import.meta.url));

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (/^typescript(\/|$)/.test(specifier) && context.parentURL?.includes('/node_modules/dependency-cruiser/')) {
      return { url: pathToFileURL(fromTypescript6.resolve(specifier)).href, shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});

export const { cruise } = await import('dependency-cruiser');
export const { default: extractDepcruiseOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
export const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
