import type { Metadata } from 'next';
import { connection } from 'next/server';
import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
import { countRecentFailures, type FailureCount } from '@quire/db/failures';
import { checkHealth, type PartHealth } from '@/server/health';
import { PageTitle, cx } from '@/components/ui';

export const metadata: Metadata = { title: 'System status' };

function Status({ name, part }: { name: string; part: PartHealth }) {
  return (
    <li className="flex items-center justify-between gap-4 px-4 py-3" data-health={name.toLowerCase()} data-ok={part.ok}>
      <div className="flex items-center gap-3">
        <span aria-hidden className={cx('h-2.5 w-2.5 rounded-full', part.ok ? 'bg-emerald-500' : 'bg-red-500')} />
        <span className="font-medium">{name}</span>
      </div>
      <span className={cx('text-right text-sm', part.ok ? 'text-stone-600' : 'text-red-700')}>
        {part.ok ? `Healthy · ${part.detail}${part.latencyMs !== null ? ` · ${part.latencyMs} ms` : ''}` : `Unavailable · ${part.detail}`}
      </span>
    </li>
  );
}

const FAILURE_WINDOW_HOURS = 24;

function Failures({ counts }: { counts: FailureCount[] | null }) {
  return (
    <section aria-labelledby="failures-title" className="rounded-xl border border-stone-200 bg-white shadow-sm" data-testid="status-failures">
      <h2 id="failures-title" className="border-b border-stone-200 px-4 py-3 text-sm font-semibold text-stone-800">
        Failed jobs and webhooks, last {FAILURE_WINDOW_HOURS} hours
      </h2>
      {counts === null ? (
        <p className="px-4 py-3 text-sm text-red-700">Could not read the failures: the database did not answer.</p>
      ) : counts.length === 0 ? (
        <p className="px-4 py-3 text-sm text-stone-600">Nothing failed.</p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {counts.map((c) => (
            <li key={`${c.kind}:${c.source}`} className="flex items-center justify-between gap-4 px-4 py-3" data-failure-source={c.source}>
              <span className="font-medium">{c.kind === 'job' ? `Job ${c.source}` : `Webhook from ${c.source}`}</span>
              <span className={cx('text-right text-sm', c.final ? 'text-red-700' : 'text-stone-600')}>
                {c.final} failed for good · {c.retried} retried · last {c.last.toISOString().slice(0, 16).replace('T', ' ')} UTC
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="border-t border-stone-100 px-4 py-3 text-xs text-stone-500">
        <code>pnpm quire failures</code> lists each one with the job or event id, the account and the project.
      </p>
    </section>
  );
}

/**
 * For the people who run Quire: whether the database and the collab server answer, and how many background jobs and
 * webhooks failed lately (counts only; the ids are for `pnpm quire failures`, which needs the database's credentials).
 * The health is also at /api/health (JSON, 200 or 503), the failures as metrics at the worker's /metrics.
 */
export default async function StatusPage() {
  await connection();
  const [health, failures] = await Promise.all([
    checkHealth(getPool(), getConfig().collabHealthUrl),
    countRecentFailures(getPool(), FAILURE_WINDOW_HOURS).catch(() => null),
  ]);
  return (
    <div className="max-w-2xl space-y-6">
      <PageTitle subtitle="For whoever runs this installation. The same, as JSON for monitors, is at /api/health.">System status</PageTitle>
      <section aria-labelledby="status-title" className="rounded-xl border border-stone-200 bg-white shadow-sm">
        <h2 id="status-title" className="border-b border-stone-200 px-4 py-3 text-sm font-semibold text-stone-800">
          Parts
        </h2>
        <ul className="divide-y divide-stone-100">
          <Status name="Database" part={health.database} />
          <Status name="Live collaboration" part={health.collab} />
        </ul>
      </section>
      <Failures counts={failures} />
    </div>
  );
}
