import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { EXPORT_FORMAT_INFO, exportFilename, requestExportInput } from '@quire/domain/exports';
import { UserError, parse, toUserError } from '../../lib/errors';
import { enqueueExport } from './queue';

const READ_REFUSAL = 'You can only export documents you can read.';

/**
 * Queues an export: one export_jobs row and its job on the queue, in one transaction, so a job never runs for a
 * request that was refused and a request is never left without its job. RLS (private.may_export) decides who may
 * export what; the checks before the insert only exist to say why in the writer's words.
 */
export async function requestExport(pool: Pool, claims: Claims, input: unknown): Promise<{ id: string }> {
  const request = parse(requestExportInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows: projects } = await tx.query<{ title: string; kind: string; viewers_may_export: boolean; reader: boolean; commenter: boolean }>(
        `select p.title, p.kind, coalesce(s.viewers_may_export, true) as viewers_may_export,
                private.has_role(p.id, null, 'viewer') as reader, private.has_role(p.id, null, 'commenter') as commenter
           from public.projects p left join public.export_settings s on s.project_id = p.id where p.id = $1`,
        [request.projectId],
      );
      const project = projects[0];
      if (!project) throw new UserError('This project does not exist or you are not a member.', 'not_found');

      const { rows: documents } = await tx.query<{ id: string; kind: string; title: string }>(
        request.scope === 'project'
          ? `select id, kind, title from public.documents where project_id = $1`
          : `select id, kind, title from public.documents where project_id = $1 and id = any($2::uuid[])`,
        request.scope === 'project' ? [request.projectId] : [request.projectId, request.documentIds],
      );
      if (request.scope !== 'project' && documents.length !== request.documentIds.length) {
        throw new UserError('One of those documents no longer exists, or you cannot read it.', 'not_found');
      }
      const prose = documents.filter((d) => d.kind !== 'folder' && d.kind !== 'notes');
      if (request.scope === 'project' && prose.length === 0) throw new UserError('This project has nothing to export yet.', 'invalid');
      const screenplay = documents.some((d) => d.kind === 'screenplay');
      if (EXPORT_FORMAT_INFO[request.format].screenplayOnly && !screenplay) {
        throw new UserError(`${EXPORT_FORMAT_INFO[request.format].label} is for screenplays, and none of these documents is one.`, 'invalid', {
          format: 'Choose a format for prose, such as Word, PDF or EPUB.',
        });
      }

      const { rows: may } = await tx.query<{ ok: boolean }>(`select private.may_export($1, null, $2::uuid[]) as ok`, [
        request.projectId,
        request.documentIds,
      ]);
      if (!may[0]?.ok) {
        throw new UserError(
          project.reader && !project.commenter && !project.viewers_may_export ? 'The owner has turned exports off for viewers of this project.' : READ_REFUSAL,
          'forbidden',
        );
      }

      const options = {
        ...request.options,
        // screenplay documents print in screenplay format unless the writer chose the book layout
        pdfLayout: request.options.pdfLayout ?? (screenplay && documents.every((d) => d.kind === 'screenplay' || d.kind === 'folder') ? 'screenplay' : 'book'),
      };
      const title = request.scope === 'document' ? documents[0]!.title : (request.options.title ?? project.title);
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.export_jobs (project_id, document_id, document_ids, user_id, format, options, filename)
         values ($1, $2, $3::uuid[], $4, $5, $6::jsonb, $7) returning id`,
        [
          request.projectId,
          request.scope === 'document' ? request.documentIds[0] : null,
          request.scope === 'selection' ? request.documentIds : [],
          claims.sub,
          request.format,
          JSON.stringify(options),
          exportFilename(title, request.format),
        ],
      );
      const id = rows[0]!.id;
      await enqueueExport(pool, tx, id);
      return { id };
    });
  } catch (error) {
    throw toUserError(error, { forbidden: READ_REFUSAL });
  }
}
