/** ops/alerts.yml alerts on metrics the apps really export, and job and webhook failures are counted and logged. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAILURE_METRICS, failureReporter } from '@quire/db/failures';
import { createMetrics } from '../../apps/collab/src/metrics';
import { ROOT } from './support/clone';

async function exportedNames(registry: { getMetricsAsJSON(): Promise<Array<{ name: string }>> }): Promise<string[]> {
  return (await registry.getMetricsAsJSON()).map((metric) => metric.name);
}

/** Every metric an `expr:` of the rules file reads (histogram series map to their histogram). */
async function ruleMetrics(): Promise<string[]> {
  const text = await readFile(path.join(ROOT, 'ops/alerts.yml'), 'utf8');
  const names = new Set<string>();
  for (const [, expr] of text.matchAll(/^\s*expr:\s*(.+)$/gm)) {
    for (const [name] of expr!.matchAll(/\b(?:collab|quire)_[a-z_]+\b/g)) names.add(name.replace(/_(bucket|sum|count)$/, ''));
  }
  return [...names].sort();
}

describe('ops/alerts.yml', () => {
  it('names only metrics that the collab server or the failure reporter export', async () => {
    const collab = createMetrics({ connections: () => 0, documents: () => 0 });
    const failures = failureReporter({ error() {} });
    const exported = new Set([...(await exportedNames(collab.registry)), ...(await exportedNames(failures.registry))]);
    const used = await ruleMetrics();
    expect(used).toEqual(expect.arrayContaining(['collab_refusals_total', 'collab_errors_total', FAILURE_METRICS.job.name, FAILURE_METRICS.webhook.name]));
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });
});

describe('failureReporter', () => {
  it('counts failed jobs and webhooks and logs the ids support needs, without the error stack', async () => {
    const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
    const report = failureReporter({ error: (fields, message) => lines.push({ fields: fields as Record<string, unknown>, message }) });
    report.job({ queue: 'exports', jobId: 'job-1', attempt: 3, final: true, projectId: 'p-1', userId: 'u-1', error: new Error('disk full') });
    report.webhook({ source: 'stripe', reason: 'signature', eventId: 'evt_1', eventType: 'invoice.paid' });
    const metrics = await report.registry.getMetricsAsJSON();
    const jobs = metrics.find((m) => m.name === FAILURE_METRICS.job.name)!;
    expect(jobs.values).toEqual([expect.objectContaining({ value: 1, labels: { queue: 'exports', final: 'true' } })]);
    const hooks = metrics.find((m) => m.name === FAILURE_METRICS.webhook.name)!;
    expect(hooks.values).toEqual([expect.objectContaining({ value: 1, labels: { source: 'stripe', reason: 'signature' } })]);
    expect(lines[0]).toEqual({
      message: 'job failed for good',
      fields: expect.objectContaining({ event: 'job.failed', queue: 'exports', jobId: 'job-1', attempt: 3, projectId: 'p-1', userId: 'u-1', err: { name: 'Error', message: 'disk full' } }),
    });
    expect(lines[1]!.fields).toEqual(expect.objectContaining({ event: 'webhook.failed', source: 'stripe', eventId: 'evt_1', eventType: 'invoice.paid' }));
  });
});
