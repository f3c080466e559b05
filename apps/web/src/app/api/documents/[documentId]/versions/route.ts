import { z } from 'zod';
import { withUser } from '@quire/db/session';
import { UserError, parse } from '@/lib/errors';
import { getPool } from '@/lib/db';
import { caller, documentIdOf, json, readJson, refuse } from '../comments/http';
import { SUMMARY_COLUMNS, toSummary } from './model';

type Context = { params: Promise<{ documentId: string }> };

/** The document's history, newest first, without the stored states (a preview fetches one version on its own). */
export async function GET(request: Request, context: Context) {
  try {
    const documentId = documentIdOf(await context.params);
    const claims = await caller(request);
    const versions = await withUser(getPool(), claims, async (tx) => {
      const visible = await tx.query('select 1 from public.documents where id = $1', [documentId]);
      if (!visible.rowCount) throw new UserError('This document does not exist or is not shared with you.', 'not_found');
      const { rows } = await tx.query(
        `select ${SUMMARY_COLUMNS} from public.document_versions v left join public.user_profiles p on p.id = v.user_id
          where v.document_id = $1 order by v.created_at desc, v.id limit 500`,
        [documentId],
      );
      return rows.map(toSummary);
    });
    return json({ versions });
  } catch (error) {
    return refuse(error);
  }
}

const saveVersionInput = z.object({
  label: z.string().trim().min(1, 'Name the version.').max(120, 'Keep the name under 120 characters.'),
});

/**
 * Names the document as it was last stored. The editor asks the collab server first (it snapshots the live state,
 * including edits not yet written to the row); this is the way in for scripts and for when the live connection is down.
 */
export async function POST(request: Request, context: Context) {
  try {
    const documentId = documentIdOf(await context.params);
    const claims = await caller(request);
    const input = parse(saveVersionInput, await readJson(request));
    const version = await withUser(getPool(), claims, async (tx) => {
      const { rows } = await tx.query(
        `insert into public.document_versions (document_id, project_id, user_id, label, reason, yjs_state, content, plain_text, word_count)
         select d.id, d.project_id, (select auth.uid()), $2, 'manual', d.yjs_state, d.content, d.plain_text, d.word_count
           from public.documents d where d.id = $1
         returning id`,
        [documentId, input.label],
      );
      if (!rows[0]) throw new UserError('This document does not exist or is not shared with you.', 'not_found');
      const saved = await tx.query(
        `select ${SUMMARY_COLUMNS} from public.document_versions v left join public.user_profiles p on p.id = v.user_id where v.id = $1`,
        [rows[0].id],
      );
      return toSummary(saved.rows[0]);
    });
    return json({ version }, 201);
  } catch (error) {
    return refuse(error, { forbidden: 'Only editors can save versions.' });
  }
}
