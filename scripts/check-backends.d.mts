export type Backend = 'postgres' | 'postgres-s3';

export interface BackendAvailability {
  /** Why each backend failed its probe, or null when it answered. */
  postgres: string | null;
  redis: string | null;
  s3rver: string | null;
  /** Why a backend suite cannot run, or null when it can. */
  missing(backend: Backend): string | null;
}

export function checkBackends(): Promise<BackendAvailability>;
