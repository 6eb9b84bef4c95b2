/** Tables of migration 0019: what each instance reports about itself, for the admin dashboard. */

export type FleetSpan = 'minute' | 'hour' | 'day';

export interface FleetInstancesTable {
  instance_id: string;
  version: string;
  started_at: string;
  /** The instance's last report. */
  last_seen: string;
}

interface Bucketed {
  span: FleetSpan;
  /** The bucket's start, cut to the span: `2026-05-01T10:05` (minute), `2026-05-01T10` (hour), `2026-05-01` (day), UTC. */
  bucket: string;
  instance_id: string;
}

export interface FleetActivityTable extends Bucketed {
  publishes_ok: number;
  publishes_refused: number;
  downloads: number;
  download_bytes: number;
}

/** `lat_0` … `lat_13`: requests per latency slot (see FLEET_LATENCY_SLOTS), not cumulative. */
export type LatencyColumns = { [K in `lat_${number}`]: number };

export interface FleetRouteCountsTable extends Bucketed, LatencyColumns {
  method: string;
  /** The route's template (`/api/v1/packages/:name`), `unmatched` for requests no route matched. */
  route: string;
  requests: number;
  status_4xx: number;
  status_5xx: number;
}

export interface FleetTables {
  fleet_instances: FleetInstancesTable;
  fleet_activity: FleetActivityTable;
  fleet_route_counts: FleetRouteCountsTable;
}
