import { withService } from '@quire/db/session';
import { EXPORT_FILE_DAYS, exportObjectPath, type ExportFormat as RequestFormat } from '@quire/domain/exports';
import type { Tier } from '@quire/domain/tiers';
import { ExportFormatError, exportManuscript, manuscriptFromDocuments, type ExportFormat } from '@quire/exports';
import { defineJob, type JobContext } from '../job';
import { loadExport, type ExportJobRow } from './exports/manuscript';
import { afterError, Canceled, claim } from './exports/lease';
import { exportStore, type ExportStore } from './exports/storage';

/** The package's writer for what the writer asked for: a PDF of screenplay documents is the screenplay layout. */
function writerFormat(format: RequestFormat, options: ExportJobRow['options']): ExportFormat {
  if (format === 'txt') return 'text';
  if (format === 'pdf') return options.pdfLayout === 'screenplay' ? 'pdf-screenplay' : 'pdf';
  return format;
}

/** What a writer reads when an export cannot be made, by the package's reason. */
const WRITER_MESSAGES: Partial<Record<ExportFormatError['code'], string>> = {
  'not-screenplay': 'This format is for screenplays, and none of the exported documents is one. Choose Word, PDF (book) or EPUB instead.',
  'unsupported-format': 'Quire cannot write this format yet. Choose another format.',
  empty: 'There is no text to export yet.',
};

const RETRY_MESSAGE = 'The export could not be finished. Try again in a few minutes; if it keeps failing, contact support and mention export ';

/**
 * Carries out one export_jobs row: reads the documents, writes the file with packages/exports, stores it in the
 * private `exports` bucket under the project, and records where, how big and until when. Safe to run twice for the
 * same row: the storage key is the job's own, a retry overwrites it, and only the attempt holding the row records it.
 */
export async function runExport({ exportId }: { exportId: string }, ctx: Pick<JobContext, 'pool' | 'logger' | 'final' | 'now'>) {
  const lease = await claim<ExportJobRow & { format: RequestFormat }>(ctx.pool, 'export_jobs', exportId);
  if (!lease) {
    ctx.logger.info({ exportId }, 'export not waiting (done, canceled, deleted or running elsewhere); nothing to do');
    return { skipped: true };
  }
  const job = lease.row;
  let store: ExportStore | undefined;
  const path = exportObjectPath(job.project_id, job.id, job.filename ?? `export.${job.format}`);
  try {
    store = exportStore();
    // The request was allowed by RLS when it was queued (private.may_export). A requester removed from the project
    // since then gets nothing: the rows are read as the service only because no person is signed in to a job.
    const loaded = await withService(ctx.pool, async (tx) => {
      const { rows } = await tx.query<{ ok: boolean }>(
        `select exists (select 1 from public.project_members where project_id = $1 and user_id = $2)
             or exists (select 1 from public.document_collaborators dc join public.documents d on d.id = dc.document_id
                         where d.project_id = $1 and dc.user_id = $2) as ok`,
        [job.project_id, job.user_id],
      );
      if (!rows[0]?.ok) return null;
      return loadExport(tx, job, (done, total) => void lease.progress((done / total) * 30).catch(() => {}));
    });
    if (!loaded) {
      await lease.write(`update public.export_jobs set status = 'failed', error = $2, finished_at = now() where id = $1`, [
        job.id,
        'You are no longer a member of this project, so the export was not made.',
      ]);
      return { refused: true };
    }
    await lease.check();
    const meta = { ...loaded.meta };
    if (job.format === 'epub' && loaded.coverPath) {
      const cover = await store.cover(loaded.coverPath);
      if (cover) meta.cover = { bytes: cover, mimeType: 'image/jpeg' };
      else ctx.logger.warn({ exportId, path: loaded.coverPath }, 'the project cover is gone from storage; exporting without it');
    }
    const result = await exportManuscript(writerFormat(job.format, job.options), manuscriptFromDocuments(meta, loaded.documents), {
      comments: job.options.includeComments ? loaded.comments : undefined,
      trim: job.options.trim,
      sceneNumbers: job.options.sceneNumbers,
      onProgress: (fraction) => void lease.progress(30 + fraction * 60).catch(() => {}),
    });
    await lease.check();
    await store.put(path, result.bytes, result.mimeType);
    const { rows } = await withService(ctx.pool, (tx) => tx.query<{ tier: Tier }>(`select private.owner_tier($1) as tier`, [job.project_id]));
    const days = EXPORT_FILE_DAYS[rows[0]?.tier ?? 'free'];
    const recorded = await lease.write(
      `update public.export_jobs set status = 'succeeded', progress = 100, storage_url = $2, size_bytes = $3, finished_at = now(),
              expires_at = now() + make_interval(days => $4) where id = $1`,
      [job.id, path, result.bytes.byteLength, days],
    );
    if (!recorded) throw new Canceled();
    ctx.logger.info({ exportId, format: job.format, bytes: result.bytes.byteLength, attempt: lease.attempt }, 'export stored');
    return { path, bytes: result.bytes.byteLength };
  } catch (error) {
    if (error instanceof Canceled) {
      // canceled by the writer, or the row was handed to another attempt: leave no file behind unless that attempt
      // has since recorded the very same key as its result
      const { rows } = await withService(ctx.pool, (tx) => tx.query<{ status: string }>(`select status from public.export_jobs where id = $1`, [job.id]));
      if (rows[0]?.status !== 'succeeded' && rows[0]?.status !== 'running') await store?.remove([path]).catch(() => {});
      return { canceled: true };
    }
    if (error instanceof ExportFormatError) {
      // the input cannot be written in this format: a retry would fail the same way, so fail now and say why
      await lease.write(`update public.export_jobs set status = 'failed', error = $2, finished_at = now() where id = $1`, [
        job.id,
        WRITER_MESSAGES[error.code] ?? `The export could not be made: ${error.message}.`,
      ]);
      return { failed: error.code };
    }
    await afterError(lease, 'export_jobs', job.id, ctx.final, `${RETRY_MESSAGE}${job.id.slice(0, 8)}.`);
    throw error;
  } finally {
    lease.release();
  }
}

export const exportRun = defineJob({
  name: 'export-run',
  retry: { limit: 3, delaySeconds: 10, backoff: true },
  // a 100k-word PDF takes seconds; a stuck attempt is failed back to the queue after this
  expireInSeconds: 10 * 60,
  concurrency: 2,
  handler: (data, ctx) => runExport(data, ctx),
});
