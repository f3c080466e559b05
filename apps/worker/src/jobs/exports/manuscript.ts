import * as Y from 'yjs';
import type { Tx } from '@quire/db/session';
import { plainTextToJSON, validateJSON, yDocToJSON, type ProseMirrorJSON } from '@quire/domain/manuscript';
import type { ExportOptions } from '@quire/domain/exports';
import type { ExportComment, ManuscriptMeta, SourceDocument } from '@quire/exports';

export interface ExportJobRow {
  id: string;
  project_id: string;
  document_id: string | null;
  document_ids: string[];
  user_id: string | null;
  format: string;
  options: Partial<ExportOptions>;
  filename: string | null;
  attempts: number;
}

interface DocRow {
  id: string;
  parent_id: string | null;
  kind: string;
  title: string;
}

/** Parents before children, siblings by position: the order of the manuscript tree and the Outline tab. */
function outlineOrder(rows: DocRow[]): DocRow[] {
  const children = new Map<string | null, DocRow[]>();
  for (const row of rows) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const out: DocRow[] = [];
  const walk = (parent: string | null) => {
    for (const row of children.get(parent) ?? []) {
      out.push(row);
      walk(row.id);
    }
  };
  walk(null);
  return out;
}

/** Which documents an export covers, in outline order: a chosen part brings its chapters and scenes along. */
export function coveredDocuments(all: DocRow[], job: Pick<ExportJobRow, 'document_id' | 'document_ids'>): DocRow[] {
  const ordered = outlineOrder(all);
  const chosen = new Set(job.document_ids.length ? job.document_ids : job.document_id ? [job.document_id] : []);
  if (chosen.size === 0) return ordered.filter((d) => d.kind !== 'notes');
  const byId = new Map(all.map((d) => [d.id, d]));
  const inChosen = (d: DocRow): boolean => {
    for (let at: DocRow | undefined = d; at; at = at.parent_id ? byId.get(at.parent_id) : undefined) if (chosen.has(at.id)) return true;
    return false;
  };
  return ordered.filter((d) => chosen.has(d.id) || (inChosen(d) && d.kind !== 'notes'));
}

/**
 * The text of a document as the collab server would serve it now: the stored Yjs state plus the update log not yet
 * compacted into it. Documents never opened in the editor (templates, imports) still have only their JSON.
 */
export async function documentContent(tx: Tx, id: string): Promise<ProseMirrorJSON> {
  const { rows } = await tx.query<{ yjs_state: Buffer | null; content: unknown; plain_text: string }>(
    `select yjs_state, content, plain_text from public.documents where id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return { type: 'doc', content: [] };
  const log = await tx.query<{ update: Buffer }>(`select update from public.document_updates where document_id = $1 order by id`, [id]);
  if (row.yjs_state || log.rows.length) {
    const doc = new Y.Doc();
    try {
      doc.transact(() => {
        if (row.yjs_state) Y.applyUpdate(doc, row.yjs_state);
        for (const u of log.rows) Y.applyUpdate(doc, u.update);
      });
      return yDocToJSON(doc);
    } finally {
      doc.destroy();
    }
  }
  return validateJSON(row.content) ?? plainTextToJSON(row.plain_text ?? '');
}

export interface LoadedExport {
  /** everything but the cover, which is read from storage only for the formats that carry one */
  meta: ManuscriptMeta;
  /** the project's cover picture in the covers bucket, when one is set */
  coverPath: string | null;
  documents: SourceDocument[];
  comments: ExportComment[];
}

/** Everything the writers need for one export job, read in one transaction so the documents agree with each other. */
export async function loadExport(tx: Tx, job: ExportJobRow, onDocument: (done: number, total: number) => void): Promise<LoadedExport> {
  const { rows: projects } = await tx.query<{ title: string; owner_name: string | null; cover_path: string | null }>(
    `select p.title, up.display_name as owner_name, c.path as cover_path
       from public.projects p
       left join public.user_profiles up on up.id = p.user_id
       left join public.project_covers c on c.project_id = p.id
      where p.id = $1`,
    [job.project_id],
  );
  const project = projects[0];
  if (!project) throw new Error('project gone');
  const { rows: all } = await tx.query<DocRow>(
    `select id, parent_id, kind, title from public.documents where project_id = $1 order by position, created_at, id`,
    [job.project_id],
  );
  const covered = coveredDocuments(all, job);
  const documents: SourceDocument[] = [];
  for (const [i, doc] of covered.entries()) {
    documents.push({ title: doc.title, kind: doc.kind === 'screenplay' ? 'screenplay' : 'prose', content: await documentContent(tx, doc.id) });
    onDocument(i + 1, covered.length);
  }
  const comments: ExportComment[] = [];
  if (job.options.includeComments) {
    const index = new Map(covered.map((d, i) => [d.id, i]));
    const { rows } = await tx.query<{ id: string; document_id: string; quote: string; body: string; author: string | null; created_at: Date; replies: string | null }>(
      `select c.id, c.document_id, c.quote, c.body, up.display_name as author, c.created_at,
              (select string_agg(coalesce(ru.display_name, 'Someone') || ': ' || r.body, E'\\n' order by r.created_at)
                 from public.comments r left join public.user_profiles ru on ru.id = r.user_id where r.parent_id = c.id) as replies
         from public.comments c left join public.user_profiles up on up.id = c.user_id
        where c.document_id = any($1::uuid[]) and c.parent_id is null and c.resolved_at is null and coalesce(c.quote, '') <> ''
        order by c.created_at`,
      [covered.map((d) => d.id)],
    );
    for (const c of rows) {
      comments.push({
        id: c.id,
        chapter: index.get(c.document_id)!,
        anchorText: c.quote,
        body: c.replies ? `${c.body}\n${c.replies}` : c.body,
        author: c.author ?? undefined,
        createdAt: c.created_at,
      });
    }
  }
  const single = covered.length === 1 && (job.document_id || job.document_ids.length === 1);
  return {
    meta: {
      title: job.options.title || (single ? covered[0]!.title : project.title),
      author: job.options.author || project.owner_name || undefined,
      language: job.options.language ?? 'en',
      identifier: `urn:uuid:${job.project_id}`,
    },
    coverPath: project.cover_path,
    documents,
    comments,
  };
}
