import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import { enqueueJob } from '@quire/db/jobs';
import { completeChecksRun, failChecksRun, startChecksRun } from '@quire/db/structure';
import {
  createIssueInput,
  updateIssueInput,
  type CheckRule,
  type IssueCategory,
  type IssueSeverity,
  type IssueStatus,
} from '@quire/domain/structure';
import { UserError, parse } from '../../lib/errors';
import { EDIT_REFUSAL, structureError, updateVersioned } from './versioned';

export interface IssueDto {
  id: string;
  analysisId: string;
  source: 'manual' | 'checks' | 'generated';
  severity: IssueSeverity;
  category: IssueCategory;
  status: IssueStatus;
  title: string;
  description: string;
  rule: CheckRule | null;
  documentId: string | null;
  documentTitle: string | null;
  outlineSectionId: string | null;
  sectionTitle: string | null;
  beatId: string | null;
  beatName: string | null;
  hasAnchor: boolean;
  /** the passage the card points at, as Yjs relative positions (like a comment's anchor) */
  anchor: { from: string; to: string } | null;
  version: number;
  createdAt: string;
}

export interface AnalysisDto {
  id: string;
  source: 'manual' | 'checks' | 'generated';
  status: string;
  summary: string;
  issueCount: number;
  completedAt: string | null;
}

export interface PlotBoard {
  issues: IssueDto[];
  latestChecks: AnalysisDto | null;
  canEdit: boolean;
}

const ISSUE_SELECT = `select i.id, i.analysis_id, a.source, i.severity, i.category, i.status, i.title, i.description, i.rule,
    i.document_id, d.title as document_title, i.outline_section_id, s.title as section_title, i.beat_id, b.name as beat_name,
    i.anchor, i.version, i.created_at
  from public.plot_issues i join public.plot_analyses a on a.id = i.analysis_id left join public.documents d on d.id = i.document_id
    left join public.outline_sections s on s.id = i.outline_section_id left join public.story_beats b on b.id = i.beat_id`;

function toIssue(r: Record<string, any>): IssueDto {
  return {
    id: r.id,
    analysisId: r.analysis_id,
    source: r.source,
    severity: r.severity,
    category: r.category,
    status: r.status,
    title: r.title,
    description: r.description,
    rule: r.rule,
    documentId: r.document_id,
    documentTitle: r.document_title ?? null,
    outlineSectionId: r.outline_section_id,
    sectionTitle: r.section_title ?? null,
    beatId: r.beat_id,
    beatName: r.beat_name ?? null,
    hasAnchor: r.anchor !== null,
    anchor: r.anchor ? { from: String(r.anchor.from), to: String(r.anchor.to) } : null,
    version: r.version,
    createdAt: (r.created_at as Date).toISOString(),
  };
}

async function loadIssue(tx: Tx, issueId: string): Promise<IssueDto | null> {
  const { rows } = await tx.query(`${ISSUE_SELECT} where i.id = $1`, [issueId]);
  return rows[0] ? toIssue(rows[0]) : null;
}

const SEVERITY_ORDER = `case i.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

/** Cards made by hand or by a model, and those of the latest run of the checks (older check runs are superseded). */
export async function getPlotBoard(pool: Pool, claims: Claims, projectId: string): Promise<PlotBoard | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  return withUser(pool, claims, async (tx) => {
    const member = await tx.query('select role from public.project_members where project_id = $1 and user_id = (select auth.uid())', [project.data]);
    if (!member.rowCount) return null;
    const latest = await tx.query(
      `select a.id, a.source, a.status, a.summary, a.completed_at, (select count(*) from public.plot_issues where analysis_id = a.id)::int as issue_count
         from public.plot_analyses a where a.project_id = $1 and a.source = 'checks' order by a.created_at desc, a.id desc limit 1`,
      [project.data],
    );
    // the cards on the board stay those of the last finished run while a newer one is under way
    const shown = await tx.query(
      `select a.id from public.plot_analyses a where a.project_id = $1 and a.source = 'checks' and a.status = 'completed'
        order by a.created_at desc, a.id desc limit 1`,
      [project.data],
    );
    const { rows } = await tx.query(
      `${ISSUE_SELECT} where i.project_id = $1 and (a.source <> 'checks' or a.id = $2) order by ${SEVERITY_ORDER}, i.created_at, i.id`,
      [project.data, shown.rows[0]?.id ?? null],
    );
    const l = latest.rows[0];
    return {
      issues: rows.map(toIssue),
      latestChecks: l
        ? { id: l.id, source: l.source, status: l.status, summary: l.summary, issueCount: l.issue_count, completedAt: l.completed_at ? (l.completed_at as Date).toISOString() : null }
        : null,
      canEdit: member.rows[0].role === 'owner' || member.rows[0].role === 'editor',
    };
  });
}

/** A card written by hand goes into the project's standing manual run, made on first use. */
export async function createIssue(pool: Pool, claims: Claims, input: unknown): Promise<IssueDto> {
  const data = parse(createIssueInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const existing = await tx.query(`select id from public.plot_analyses where project_id = $1 and source = 'manual' order by created_at limit 1`, [data.projectId]);
      const analysisId =
        existing.rows[0]?.id ??
        (
          await tx.query(
            `insert into public.plot_analyses (project_id, kind, status, source, summary, started_at, completed_at)
             values ($1, 'full', 'completed', 'manual', 'Issues noted by hand', now(), now()) returning id`,
            [data.projectId],
          )
        ).rows[0].id;
      const { rows } = await tx.query(
        `insert into public.plot_issues (analysis_id, project_id, severity, category, title, description, document_id, outline_section_id, beat_id, anchor)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [analysisId, data.projectId, data.severity, data.category, data.title, data.description, data.documentId, data.outlineSectionId, data.beatId, data.anchor],
      );
      return (await loadIssue(tx, rows[0].id))!;
    });
  } catch (error) {
    throw structureError(error);
  }
}

/** One card as the caller may see it (the document page reads it to open at the card's anchor). */
export async function getIssue(pool: Pool, claims: Claims, projectId: string, issueId: string): Promise<IssueDto | null> {
  const project = idSchema.safeParse(projectId);
  const issue = idSchema.safeParse(issueId);
  if (!project.success || !issue.success) return null;
  return withUser(pool, claims, async (tx) => {
    const found = await loadIssue(tx, issue.data);
    return found && (await tx.query('select 1 from public.plot_issues where id = $1 and project_id = $2', [issue.data, project.data])).rowCount ? found : null;
  });
}

export async function updateIssue(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<IssueDto> {
  const { issueId, version, patch } = parse(updateIssueInput, input);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[key] = value;
  try {
    return await withUser(pool, claims, (tx) =>
      updateVersioned(tx, { table: 'plot_issues', id: issueId, projectId, version, set, load: loadIssue, what: 'issue card', forbidden: EDIT_REFUSAL }),
    );
  } catch (error) {
    throw structureError(error);
  }
}

/**
 * Records a run of the checks that need no model as a queued plot_analyses row (source 'checks'), as the caller, so
 * RLS decides: only owners and editors may. The Plot tab follows the row live from queued to running to completed.
 */
async function recordChecksRequest(pool: Pool, claims: Claims, projectId: string): Promise<string> {
  const project = idSchema.parse(projectId);
  try {
    return await withUser(pool, claims, async (tx) => {
      const run = await tx.query(
        `insert into public.plot_analyses (project_id, kind, status, source) values ($1, 'structure', 'queued', 'checks') returning id`,
        [project],
      );
      return run.rows[0].id as string;
    });
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw structureError(error, 'Only the owner and editors can run the checks.');
  }
}

/**
 * "Run the checks" on the Plot tab: the run is recorded as the caller and the worker's `plot-checks` job
 * (apps/worker/src/jobs/plot-checks.ts) works through it. Answers at once with the queued run.
 */
export async function requestStructureChecks(pool: Pool, claims: Claims, projectId: string): Promise<{ analysisId: string }> {
  const analysisId = await recordChecksRequest(pool, claims, projectId);
  try {
    await enqueueJob(pool, 'plot-checks', { analysisId });
  } catch (error) {
    await withUser(pool, claims, (tx) => failChecksRun(tx, analysisId, String((error as Error)?.message ?? error))).catch(() => {});
    throw new UserError('The checks could not be queued just now. Try again in a moment.', 'unavailable');
  }
  return { analysisId };
}

/**
 * Works through a recorded run as the caller, in this process (the tests; the job does the same as the service):
 * marked running in one transaction, the findings recorded in the next.
 */
export async function runStructureChecks(pool: Pool, claims: Claims, projectId: string): Promise<{ analysisId: string; issues: number }> {
  const analysisId = await recordChecksRequest(pool, claims, projectId);
  try {
    const started = await withUser(pool, claims, (tx) => startChecksRun(tx, analysisId));
    if (!started) throw new UserError('That run of the checks has already finished or is gone.', 'conflict');
    const { issues } = await withUser(pool, claims, (tx) => completeChecksRun(tx, analysisId, started.projectId));
    return { analysisId, issues };
  } catch (error) {
    await withUser(pool, claims, (tx) => failChecksRun(tx, analysisId, String((error as Error)?.message ?? error))).catch(() => {});
    if (error instanceof UserError) throw error;
    throw structureError(error, 'Only the owner and editors can run the checks.');
  }
}
