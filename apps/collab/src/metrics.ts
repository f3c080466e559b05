import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server instance, so several instances in one process (tests) do not share counters. */
export function createMetrics(sources: { connections(): number; documents(): number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'collab_' });

  // Counted in a plain map and handed to prom-client at scrape time: its inc() hashes the labels on every call,
  // bound child or not, and this one runs for every keystroke of every writer.
  const updatesByOrigin = new Map<string, number>();
  new Counter({
    name: 'collab_updates_total',
    help: 'Document updates applied, by origin (connection, redis, restore)',
    labelNames: ['origin'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [origin, count] of updatesByOrigin) this.inc({ origin }, count);
    },
  });
  // A rolling view for dashboards that do not run rate() over the counter: ten one-second buckets.
  const buckets = new Array<number>(10).fill(0);
  let bucketSecond = Math.floor(Date.now() / 1000);
  const advance = () => {
    const second = Math.floor(Date.now() / 1000);
    for (let s = bucketSecond + 1; s <= Math.min(second, bucketSecond + 10); s++) buckets[s % 10] = 0;
    bucketSecond = Math.max(bucketSecond, second);
  };
  const updatesPerSecond = new Gauge({
    name: 'collab_updates_per_second',
    help: 'Document updates applied during the last 10 seconds, per second',
    registers: [registry],
    collect() {
      advance();
      this.set(buckets.reduce((a, b) => a + b, 0) / 10);
    },
  });
  new Gauge({
    name: 'collab_connections',
    help: 'Open websocket connections (each may carry several documents)',
    registers: [registry],
    collect() {
      this.set(sources.connections());
    },
  });
  new Gauge({
    name: 'collab_documents_loaded',
    help: 'Documents held in memory',
    registers: [registry],
    collect() {
      this.set(sources.documents());
    },
  });
  const storeSeconds = new Histogram({
    name: 'collab_store_duration_seconds',
    help: 'Time to store a document (state, JSON, text, word count, log compaction)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const logCommitSeconds = new Histogram({
    name: 'collab_log_commit_duration_seconds',
    help: 'Time of one group commit to document_updates',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const storesTotal = new Counter({ name: 'collab_stores_total', help: 'Successful document stores', registers: [registry] });
  const logCommitsTotal = new Counter({ name: 'collab_log_commits_total', help: 'Successful group commits', registers: [registry] });
  const refusals = new Counter({
    name: 'collab_refusals_total',
    help: 'Connections, documents or messages refused, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const errorsTotal = new Counter({
    name: 'collab_errors_total',
    help: 'Server-side failures, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const versionsTotal = new Counter({
    name: 'collab_versions_total',
    help: 'Version snapshots written, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  return {
    registry,
    update(origin: string) {
      updatesByOrigin.set(origin, (updatesByOrigin.get(origin) ?? 0) + 1);
      advance();
      const index = bucketSecond % 10;
      buckets[index] = (buckets[index] ?? 0) + 1;
    },
    storeSeconds,
    logCommitSeconds,
    storesTotal,
    logCommitsTotal,
    refusal(reason: string) {
      refusals.inc({ reason });
    },
    error(reason: string) {
      errorsTotal.inc({ reason });
    },
    version(reason: string) {
      versionsTotal.inc({ reason });
    },
    updatesPerSecond,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
