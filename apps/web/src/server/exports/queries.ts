import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { ProjectRole } from '@quire/domain/roles';
import { limitFor, type Tier } from '@quire/domain/tiers';
import { id as idSchema } from '@quire/domain/schemas';
import type { ExportFormat, ExportOptions, ImportFormat, JobStatus } from '@quire/domain/exports';
import { readCover, type CoverView } from './cover';

export interface ExportJobView {
  id: string;
  format: ExportFormat;
  status: JobStatus;
  progress: number;
  /** What was exported, as the writer would say it: a document's title, "3 documents" or "Whole project". */
  what: string;
  documentIds: string[];
  options: Partial<ExportOptions>;
  error: string | null;
  filename: string | null;
  sizeBytes: number | null;
  requestedBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
  /** Done and the file is still kept. */
  downloadable: boolean;
  expired: boolean;
  canCancel: boolean;
}

export interface ImportJobView {
  id: string;
  filename: string;
  format: ImportFormat;
  status: JobStatus;
  progress: number;
  sizeBytes: number;
  documentIds: string[];
  /** What the reader could not keep, in words for the writer. */
  warnings: string[];
  error: string | null;
  requestedBy: string | null;
  createdAt: string;
  canCancel: boolean;
}

export interface ExportsScreen {
  projectId: string;
  projectTitle: string;
  projectKind: string;
  role: ProjectRole | null;
  viewersMayExport: boolean;
  /** The caller may queue an export of the whole project (the per-document check is done on request). */
  mayExport: boolean;
  mayImport: boolean;
  /** Editors and the owner set the EPUB cover. */
  mayEditCover: boolean;
  cover: CoverView | null;
  isOwner: boolean;
  usage: { used: number; limit: number | null; tier: Tier };
  documents: Array<{ id: string; parentId: string | null; kind: string; title: string; wordCount: number }>;
  exports: ExportJobView[];
  imports: ImportJobView[];
}

const HISTORY = 50;

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

async function exportRows(tx: Tx, projectId: string, role: ProjectRole | null, me: string, only?: string): Promise<ExportJobView[]> {
  const { rows } = await tx.query(
    `select e.id, e.format, e.status, e.progress, e.document_id, e.document_ids, e.options, e.error, e.filename,
            e.size_bytes, e.storage_url is not null as stored, e.user_id, e.created_at, e.finished_at, e.expires_at,
            coalesce(up.display_name, 'Someone') as requested_by,
            (select d.title from public.documents d where d.id = coalesce(e.document_id, e.document_ids[1])) as first_title
       from public.export_jobs e
       left join public.user_profiles up on up.id = e.user_id
      where e.project_id = $1 and ($2::uuid is null or e.id = $2)
      order by e.created_at desc, e.id
      limit ${HISTORY}`,
    [projectId, only ?? null],
  );
  return rows.map((r) => {
    const ids: string[] = r.document_ids?.length ? r.document_ids : r.document_id ? [r.document_id] : [];
    const expired = r.status === 'succeeded' && (!r.stored || (r.expires_at && (r.expires_at as Date) <= new Date()));
    return {
      id: r.id,
      format: r.format,
      status: r.status,
      progress: r.progress,
      what: ids.length === 0 ? 'Whole project' : ids.length === 1 ? (r.first_title ?? 'A deleted document') : `${ids.length} documents`,
      documentIds: ids,
      options: r.options ?? {},
      error: r.error,
      filename: r.filename,
      sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
      requestedBy: r.user_id ? r.requested_by : null,
      createdAt: (r.created_at as Date).toISOString(),
      finishedAt: iso(r.finished_at),
      expiresAt: iso(r.expires_at),
      downloadable: r.status === 'succeeded' && !expired,
      expired: Boolean(expired),
      canCancel: (r.status === 'queued' || r.status === 'running') && (r.user_id === me || role === 'owner'),
    };
  });
}

async function importRows(tx: Tx, projectId: string, role: ProjectRole | null, me: string): Promise<ImportJobView[]> {
  const { rows } = await tx.query(
    `select i.id, i.filename, i.format, i.status, i.progress, i.size_bytes, i.document_ids, i.report, i.error, i.user_id,
            i.created_at, coalesce(up.display_name, 'Someone') as requested_by
       from public.import_jobs i left join public.user_profiles up on up.id = i.user_id
      where i.project_id = $1 order by i.created_at desc, i.id limit ${HISTORY}`,
    [projectId],
  );
  return rows.map((r) => ({
    id: r.id,
    filename: r.filename,
    format: r.format,
    status: r.status,
    progress: r.progress,
    sizeBytes: Number(r.size_bytes),
    documentIds: r.document_ids ?? [],
    warnings: Array.isArray(r.report?.warnings) ? (r.report.warnings as unknown[]).map(String) : [],
    error: r.error,
    requestedBy: r.user_id ? r.requested_by : null,
    createdAt: (r.created_at as Date).toISOString(),
    canCancel: r.status === 'queued' && (r.user_id === me || role === 'owner'),
  }));
}

/** Everything the Exports tab shows, read as the caller (RLS decides which rows exist for them). */
export async function getExportsScreen(pool: Pool, claims: Claims, projectId: string): Promise<ExportsScreen | null> {
  const parsed = idSchema.safeParse(projectId);
  if (!parsed.success) return null;
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select p.id, p.title, p.kind, pm.role, private.owner_tier(p.id) as tier,
              coalesce(s.viewers_may_export, true) as viewers_may_export,
              private.may_export(p.id, null, '{}') as may_export,
              private.has_role(p.id, null, 'editor') as may_import
         from public.projects p
         left join public.project_members pm on pm.project_id = p.id and pm.user_id = (select auth.uid())
         left join public.export_settings s on s.project_id = p.id
        where p.id = $1`,
      [parsed.data],
    );
    const p = rows[0];
    if (!p) return null;
    // null for someone a document was shared with: the owner's plan is members' business
    const tier = (p.tier ?? 'free') as Tier;
    // counted as the database's limit counts (private.check_export_limit): the owner's exports this month across all
    // of their projects, failed and canceled ones aside; a co-writer sees only this project's share, a lower bound
    const used = await tx.query<{ n: number }>(
      `select count(*)::int as n from public.export_jobs e join public.projects p on p.id = e.project_id
        where p.user_id = (select user_id from public.projects where id = $1)
          and e.created_at >= date_trunc('month', now()) and e.status not in ('failed', 'canceled')`,
      [p.id],
    );
    const documents = await tx.query(
      `select id, parent_id, kind, title, word_count from public.documents where project_id = $1 order by position, created_at, id`,
      [p.id],
    );
    return {
      projectId: p.id,
      projectTitle: p.title,
      projectKind: p.kind,
      role: p.role,
      viewersMayExport: p.viewers_may_export,
      mayExport: p.may_export,
      mayImport: p.may_import,
      mayEditCover: p.may_import,
      cover: await readCover(tx, p.id),
      isOwner: p.role === 'owner',
      usage: { used: used.rows[0]?.n ?? 0, limit: limitFor(tier, 'exports_per_month'), tier },
      documents: documents.rows.map((d) => ({ id: d.id, parentId: d.parent_id, kind: d.kind, title: d.title, wordCount: d.word_count })),
      exports: await exportRows(tx, p.id, p.role, claims.sub),
      imports: await importRows(tx, p.id, p.role, claims.sub),
    };
  });
}

/** One export as the caller sees it, or null. */
export async function getExport(pool: Pool, claims: Claims, projectId: string, exportId: string): Promise<ExportJobView | null> {
  if (!idSchema.safeParse(projectId).success || !idSchema.safeParse(exportId).success) return null;
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(`select role from public.project_members where project_id = $1 and user_id = (select auth.uid())`, [projectId]);
    return (await exportRows(tx, projectId, rows[0]?.role ?? null, claims.sub, exportId))[0] ?? null;
  });
}
