import { withService } from '@quire/db/session';
import { jsonToPlainText } from '@quire/domain/manuscript';
import { IMPORT_MAX_BYTES, IMPORT_MAX_DOCUMENTS } from '@quire/domain/exports';
import { importFile, type ImportedDocument, type ImportReport } from '@quire/exports';
import { defineJob, type JobContext } from '../job';
import { afterError, Canceled, claim } from './exports/lease';

interface ImportJobRow {
  id: string;
  project_id: string;
  parent_id: string | null;
  user_id: string | null;
  filename: string;
  attempts: number;
}

const RETRY_MESSAGE = 'The import could not be finished. Try again in a few minutes; if it keeps failing, contact support and mention import ';

/** A sentence for the writer from the reader's problems: the errors first, as the package words them. */
function refusal(report: ImportReport, filename: string): string {
  const errors = report.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  const text = errors.length ? errors.join('; ') : `nothing readable was found in "${filename}"`;
  return `Nothing was imported: ${text.charAt(0).toLowerCase()}${text.slice(1)}`.replace(/\.?$/, '.').slice(0, 4000);
}

function warnings(report: ImportReport): string[] {
  return report.problems.filter((p) => p.severity === 'warning').map((p) => (p.line ? `Line ${p.line}: ${p.message}` : p.message)).slice(0, 200);
}

/**
 * Carries out one import_jobs row: reads the uploaded file with packages/exports (split at chapter headings), then
 * creates every document, records the result and drops the upload in one transaction — a project never holds part
 * of an import. The documents start as ProseMirror JSON with no Yjs state, exactly like a template's documents: the
 * collab server builds their Yjs state from that JSON the first time one is opened (apps/collab/src/persistence.ts).
 */
export async function runImport({ importId }: { importId: string }, ctx: Pick<JobContext, 'pool' | 'logger' | 'final'>) {
  const lease = await claim<ImportJobRow>(ctx.pool, 'import_jobs', importId);
  if (!lease) return { skipped: true };
  const job = lease.row;
  const fail = async (message: string, report: Record<string, unknown> = {}) => {
    // withService: the job's outcome is the worker's to record (people may only queue and cancel imports)
    await withService(ctx.pool, async (tx) => {
      const { rowCount } = await tx.query(
        `update public.import_jobs set status = 'failed', error = $2, report = $3::jsonb, finished_at = now()
          where id = $1 and attempts = $4 and status = 'running'`,
        [job.id, message, JSON.stringify(report), lease.attempt],
      );
      if (rowCount) await tx.query(`delete from public.import_sources where job_id = $1`, [job.id]);
    });
    return { failed: message };
  };
  try {
    // withService: the upload is readable only by its requester and the worker, and no person is signed in here
    const { rows } = await withService(ctx.pool, (tx) =>
      tx.query<{ bytes: Buffer; kind: string }>(
        `select s.bytes, p.kind from public.import_sources s join public.import_jobs j on j.id = s.job_id
           join public.projects p on p.id = j.project_id where s.job_id = $1`,
        [job.id],
      ),
    );
    if (!rows[0]) return await fail('The uploaded file is no longer here. Upload it again.');
    const projectKind = rows[0].kind;
    const bytes = new Uint8Array(rows[0].bytes.buffer, rows[0].bytes.byteOffset, rows[0].bytes.byteLength);
    await lease.progress(5);
    const { documents, report } = await importFile(bytes, job.filename, {
      maxBytes: IMPORT_MAX_BYTES,
      onProgress: (fraction) => void lease.progress(5 + fraction * 80).catch(() => {}),
    });
    const summary = { format: report.format, labelledAs: report.labelledAs, words: report.words, warnings: warnings(report) };
    if (!report.ok || documents.length === 0) return await fail(refusal(report, job.filename), summary);
    if (documents.length > IMPORT_MAX_DOCUMENTS) {
      return await fail(`Nothing was imported: the file splits into ${documents.length} documents, and one import makes at most ${IMPORT_MAX_DOCUMENTS}. Split the file and import the parts.`, summary);
    }
    await lease.check();
    const created = await create(ctx, job, lease.attempt, documents, projectKind, summary);
    if (!created) throw new Canceled();
    ctx.logger.info({ importId, documents: created.length, words: report.words }, 'import done');
    return { documents: created.length };
  } catch (error) {
    if (error instanceof Canceled) return { canceled: true };
    await afterError(lease, 'import_jobs', job.id, ctx.final, `${RETRY_MESSAGE}${job.id.slice(0, 8)}.`);
    throw error;
  } finally {
    lease.release();
  }
}

/** Every document, the job's result and the upload's removal: one transaction, so all of it or none of it. */
async function create(
  ctx: Pick<JobContext, 'pool'>,
  job: ImportJobRow,
  attempt: number,
  documents: ImportedDocument[],
  projectKind: string,
  summary: Record<string, unknown>,
): Promise<string[] | null> {
  // withService: the requester was an editor when they queued this (import_jobs policy); the worker writes for them
  return withService(ctx.pool, async (tx) => {
    const { rows: held } = await tx.query(`select 1 from public.import_jobs where id = $1 and attempts = $2 and status = 'running' for update`, [job.id, attempt]);
    if (!held[0]) return null;
    const { rows: start } = await tx.query<{ next: number }>(
      `select coalesce(max(position) + 1, 0) as next from public.documents where project_id = $1 and parent_id is not distinct from $2`,
      [job.project_id, job.parent_id],
    );
    const proseKind = projectKind === 'blog_post' ? 'post' : 'chapter';
    const ids: string[] = [];
    for (const [i, doc] of documents.entries()) {
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.documents (project_id, user_id, parent_id, kind, title, position, content, plain_text, word_count)
         values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) returning id`,
        [
          job.project_id,
          job.user_id,
          job.parent_id,
          doc.kind === 'screenplay' ? 'screenplay' : proseKind,
          (doc.title.trim() || `Part ${i + 1}`).slice(0, 200),
          start[0]!.next + i,
          JSON.stringify(doc.prosemirror),
          jsonToPlainText(doc.prosemirror),
          doc.words,
        ],
      );
      ids.push(rows[0]!.id);
    }
    await tx.query(
      `update public.import_jobs set status = 'succeeded', progress = 100, document_ids = $2::uuid[], report = $3::jsonb, finished_at = now()
        where id = $1`,
      [job.id, ids, JSON.stringify({ ...summary, documents: ids.length })],
    );
    await tx.query(`delete from public.import_sources where job_id = $1`, [job.id]);
    return ids;
  });
}

export const importRun = defineJob({
  name: 'import-run',
  retry: { limit: 2, delaySeconds: 10, backoff: true },
  expireInSeconds: 10 * 60,
  concurrency: 1,
  handler: (data, ctx) => runImport(data, ctx),
});
