import type { Metadata } from 'next';
import Link from 'next/link';
import { TIER_LABELS, TIER_LIMITS } from '@quire/domain/tiers';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getMyTier, listProjects, listTemplates, PROJECT_KIND_LABELS, type ProjectSummary } from '@/server/projects';
import { Alert, Card, EmptyState, PageTitle } from '@/components/ui';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { formatRelative, formatWords } from '@/components/ui/format';
import { NewProjectForm } from '@/components/projects/NewProjectForm';

export const metadata: Metadata = { title: 'Your projects' };

function ProjectCard({ project }: { project: ProjectSummary }) {
  return (
    <li>
      <Link
        href={`/projects/${project.id}`}
        className="group flex h-full flex-col rounded-xl border border-stone-200 bg-white p-5 shadow-sm transition hover:border-stone-400 hover:shadow"
        data-project-title={project.title}
      >
        <div className="flex items-start justify-between gap-3">
          <h3 className="min-w-0 break-words font-serif text-xl text-ink group-hover:text-accent">{project.title}</h3>
          <RoleBadge role={project.role} />
        </div>
        <p className="mt-1 text-xs uppercase tracking-wide text-stone-500">{PROJECT_KIND_LABELS[project.kind]}</p>
        <dl className="mt-auto grid grid-cols-2 gap-2 pt-5 text-sm text-stone-600">
          <div>
            <dt className="sr-only">Length</dt>
            <dd>{formatWords(project.wordCount)}</dd>
          </div>
          <div className="text-right">
            <dt className="sr-only">Last activity</dt>
            <dd>
              <time dateTime={project.lastActivityAt}>Active {formatRelative(project.lastActivityAt)}</time>
            </dd>
          </div>
          <div className="col-span-2 text-xs text-stone-500">
            {project.isOwner ? `${project.memberCount} ${project.memberCount === 1 ? 'member' : 'members'}` : project.ownerName ? `Owned by ${project.ownerName}` : 'Shared with you'}
          </div>
        </dl>
      </Link>
    </li>
  );
}

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer('/projects');
  const params = await searchParams;
  const pool = getPool();
  const [projects, templates, tier] = await Promise.all([listProjects(pool, viewer.claims), listTemplates(pool, viewer.claims), getMyTier(pool, viewer.claims)]);
  const owned = projects.filter((p) => p.isOwner);
  const shared = projects.filter((p) => !p.isOwner);
  const limit = TIER_LIMITS[tier].projects;
  return (
    <div className="space-y-10">
      <PageTitle subtitle="Everything you write, and everything others have invited you to.">Your projects</PageTitle>
      {params.deleted ? <Alert tone="success">The project was deleted.</Alert> : null}
      {params.left ? <Alert tone="success">You left the project.</Alert> : null}

      <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-10">
          <section aria-labelledby="owned-title">
            <h2 id="owned-title" className="mb-3 text-sm font-semibold uppercase tracking-wide text-stone-500">
              Owned by you
            </h2>
            {owned.length ? (
              <ul className="grid gap-4 sm:grid-cols-2">
                {owned.map((p) => (
                  <ProjectCard key={p.id} project={p} />
                ))}
              </ul>
            ) : (
              <EmptyState title="No projects yet">Start one from a template with the form on this page: a novel, a screenplay or a blog post.</EmptyState>
            )}
          </section>
          <section aria-labelledby="shared-title">
            <h2 id="shared-title" className="mb-3 text-sm font-semibold uppercase tracking-wide text-stone-500">
              Shared with you
            </h2>
            {shared.length ? (
              <ul className="grid gap-4 sm:grid-cols-2">
                {shared.map((p) => (
                  <ProjectCard key={p.id} project={p} />
                ))}
              </ul>
            ) : (
              <EmptyState title="Nothing shared with you yet">When someone invites you to a project, open their invitation link and it appears here.</EmptyState>
            )}
          </section>
        </div>
        <Card className="h-fit p-5" aria-labelledby="new-project-title-heading">
          <h2 id="new-project-title-heading" className="font-serif text-xl text-ink">
            New project
          </h2>
          <p className="mb-4 mt-1 text-xs text-stone-500">
            {limit === null
              ? `${TIER_LABELS[tier]} plan: unlimited projects.`
              : `${TIER_LABELS[tier]} plan: up to ${limit} projects you own (${owned.length} used).`}
          </p>
          <NewProjectForm templates={templates} />
        </Card>
      </div>
    </div>
  );
}
