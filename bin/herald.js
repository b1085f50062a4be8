#!/usr/bin/env -S node --max-semi-space-size=4
// Herald runs its TypeScript sources directly (Node >= 22.12 strips types). The compile cache
// keeps the stripped and compiled modules on disk, so later starts skip that work. A 4 MiB
// young generation (also in `npm start`) keeps an idle process near 130 MB instead of 170 MB
// of RSS; docs/benchmarks.md shows what it costs in throughput.
import module from 'node:module';

module.enableCompileCache?.();
await import('../src/main.ts');
