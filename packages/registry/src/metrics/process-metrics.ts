/**
 * prom-client's default metrics (event-loop lag, heap, GC, CPU, file descriptors) describe the
 * process, not one registry: they are collected once per process into a registry of their own, and
 * every registry's /metrics appends them. (Collecting them per registry would start another event-loop
 * monitor and GC observer for each registry a test process starts, and never stop them.)
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

export function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, eventLoopMonitoringPrecision: 20 });
  }
  return shared;
}
