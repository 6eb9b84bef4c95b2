/**
 * The registry's own job handlers, by kind; createRegistry adds those passed in its options.
 * Each feature that queues work adds its kind here (webhook deliveries first).
 */
import type { Config } from '../config/index.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { webhookDeliveryHandler } from '../webhooks/deliver-job.ts';
import { webhookEventHandler } from '../webhooks/event-job.ts';
import { DELIVER_JOB, EVENT_JOB } from '../webhooks/fan-out.ts';
import type { JobHandler } from './runner.ts';

/** What the registry's handlers may use (not AppDeps, which holds the runner itself). */
export interface JobHandlerDeps {
  config: Config;
  db: RegistryDatabase;
  now: () => Date;
}

export function registryJobHandlers(deps: JobHandlerDeps): Record<string, JobHandler> {
  return { [EVENT_JOB]: webhookEventHandler(deps), [DELIVER_JOB]: webhookDeliveryHandler(deps) };
}
