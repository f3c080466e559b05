import { connection } from 'next/server';
import { getViewer } from '@/lib/auth/server';
import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
import { checkHealth, type PartHealth } from '@/server/health';
import { LinkButton, cx } from '@/components/ui';

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

export default async function Home() {
  await connection();
  const config = getConfig();
  const [viewer, health] = await Promise.all([getViewer(), checkHealth(getPool(), config.collabHealthUrl)]);
  return (
    <div className="grid gap-10 lg:grid-cols-[1.3fr_1fr] lg:items-center">
      <section>
        <p className="text-sm font-medium uppercase tracking-widest text-accent">Collaborative writing studio</p>
        <h1 className="mt-3 font-serif text-5xl leading-tight text-ink sm:text-6xl">Quire</h1>
        <p className="mt-4 max-w-xl text-lg text-stone-700">
          Write novels, screenplays and blog posts together. Co-writers edit the same page live, reviewers leave comments, and
          owners decide who can do what.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          {viewer ? (
            <LinkButton href="/projects">Open your projects</LinkButton>
          ) : (
            <>
              <LinkButton href="/sign-up">Create a free account</LinkButton>
              <LinkButton href="/sign-in" variant="secondary">
                Sign in
              </LinkButton>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="status-title" className="rounded-xl border border-stone-200 bg-white shadow-sm">
        <h2 id="status-title" className="border-b border-stone-200 px-4 py-3 text-sm font-semibold text-stone-800">
          System status
        </h2>
        <ul className="divide-y divide-stone-100">
          <Status name="Database" part={health.database} />
          <Status name="Live collaboration" part={health.collab} />
        </ul>
      </section>
    </div>
  );
}
