import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, event loop lag, GC) with the `herald_` prefix, on one
 * registry per process: they describe the process, not one Herald in it, and collecting them starts a
 * GC observer and an event-loop monitor that are never stopped, so a registry per instance would leak
 * one of each for every Herald a process (a test run) creates.
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'herald_' });
  }
  return processRegistry;
}
