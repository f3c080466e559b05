import type { Metadata } from 'next';
import { connection } from 'next/server';
import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
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

/**
 * For the people who run Quire: whether the database and the collab server answer. The same facts are at
 * /api/health (JSON, 200 or 503) and, for the collab server, at its /metrics.
 */
export default async function StatusPage() {
  await connection();
  const health = await checkHealth(getPool(), getConfig().collabHealthUrl);
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
    </div>
  );
}
