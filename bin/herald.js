#!/usr/bin/env -S node --max-semi-space-size=4
// Herald runs its TypeScript sources directly (Node >= 22.12 strips types). The compile cache
// keeps the stripped and compiled modules on disk, so later starts skip that work. A 4 MiB
// young generation (also in `npm start`) keeps an idle process near 130 MB instead of 170 MB
// of RSS; docs/benchmarks.md shows what it costs in throughput.
import module from 'node:module';
import { unsupportedNodeMessage } from './node-version.js';

// Checked before any TypeScript is loaded: an older Node would fail with an obscure ERR_UNKNOWN_FILE_EXTENSION.
const unsupported = unsupportedNodeMessage(process.versions.node);
if (unsupported) {
  console.error(unsupported);
  process.exit(1);
}

module.enableCompileCache?.();
await import('../src/main.ts');
