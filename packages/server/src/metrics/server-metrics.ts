import { DlpAction } from '@enclave/protocol';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the PostgreSQL pool tells about itself (pg.Pool's own counts). */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** Counts the hot paths keep as plain numbers; the metrics read them only when scraped. */
export interface LiveCounts {
  /** Stream connections signed in and open on this node. */
  openStreams(): number;
  /** Events handed to stream connections since the start. */
  deliveries(): number;
  /** The PostgreSQL pool; absent on SQLite, which has no pool. */
  pool?: PoolCounts | undefined;
}

/** Request latency buckets, in seconds: API answers are expected in milliseconds, uploads and exports take longer. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** The writer commits up to 500 sends at once (messages/message-writer.ts). */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500];
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * This node's Prometheus metrics, in a registry of its own (several servers share a process in tests). Every label
 * is drawn from a short closed set: a route's pattern, never its URL, and nothing that names a person, a room or
 * content. The hot paths never call prom-client per event: stream deliveries and open streams are plain numbers
 * the hub and the socket edge keep anyway, read at scrape time; what is observed directly (a request, a send
 * batch, a DLP hit) happens at most once per request or per batch.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status_class'>;
  private readonly sendBatchSize: Histogram;
  private readonly sendCommitSeconds: Histogram;
  private readonly dlpHits: Counter<'action'>;

  constructor() {
    const registers = [this.registry];
    // Event-loop lag (nodejs_eventloop_lag_*), memory, CPU, garbage collection and open handles, as Node exporters name them.
    collectDefaultMetrics({ register: this.registry });
    this.requestDuration = new Histogram({
      name: 'enclave_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status class (2xx, 4xx, …).',
      labelNames: ['method', 'route', 'status_class'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sendBatchSize = new Histogram({ name: 'enclave_send_batch_size', help: 'Sends committed together in one transaction by the message writer.', buckets: BATCH_SIZE_BUCKETS, registers });
    this.sendCommitSeconds = new Histogram({ name: 'enclave_send_commit_duration_seconds', help: "Time of the message writer's transaction for one batch of sends.", buckets: COMMIT_BUCKETS, registers });
    this.dlpHits = new Counter({ name: 'enclave_dlp_hits_total', help: "DLP rule matches on sends, edits and forwards, by the rule's action.", labelNames: ['action'], registers });
    // Every action is shown from the start, at zero, so a rate over the first hit is not a series appearing from nothing.
    for (const action of DlpAction.options) this.dlpHits.inc({ action }, 0);
  }

  /** Starts reading the live counts at each scrape; called once the parts that keep them exist. */
  watch(live: LiveCounts): void {
    const registers = [this.registry];
    new Gauge({
      name: 'enclave_stream_connections',
      help: 'Stream (WebSocket) connections signed in and open on this node.',
      registers,
      collect() {
        this.set(live.openStreams());
      },
    });
    new Counter({
      name: 'enclave_stream_deliveries_total',
      help: 'Events handed to stream connections on this node (one per recipient connection).',
      registers,
      collect() {
        this.reset();
        this.inc(live.deliveries());
      },
    });
    const pool = live.pool;
    if (!pool) return;
    const poolGauge = (name: string, help: string, read: (counts: PoolCounts) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(pool));
        },
      });
    poolGauge('enclave_db_pool_connections', 'PostgreSQL connections the pool holds, busy or idle.', (counts) => counts.totalCount);
    poolGauge('enclave_db_pool_idle_connections', 'PostgreSQL connections idle in the pool.', (counts) => counts.idleCount);
    poolGauge('enclave_db_pool_waiting_queries', 'Queries waiting for a PostgreSQL connection from the pool.', (counts) => counts.waitingCount);
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status_class: `${Math.floor(statusCode / 100)}xx` }, seconds);
  }

  observeSendBatch(size: number, commitSeconds: number): void {
    this.sendBatchSize.observe(size);
    this.sendCommitSeconds.observe(commitSeconds);
  }

  countDlpHit(action: DlpAction): void {
    this.dlpHits.inc({ action });
  }
}
