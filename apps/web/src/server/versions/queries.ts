import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { VersionDetail, VersionSummary } from '@quire/domain/schemas';
import { UserError, parseId, toUserError } from '../../lib/errors';

export const SUMMARY_COLUMNS = `v.id, v.label, v.reason, v.word_count, v.created_at, v.user_id,
  coalesce(nullif(p.display_name, ''), split_part(p.email, '@', 1)) as author_name`;

export const SUMMARY_FROM = 'public.document_versions v left join public.user_profiles p on p.id = v.user_id';

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

export function toSummary(row: Record<string, unknown>): VersionSummary {
  return {
    id: row.id as string,
    label: (row.label as string | null) ?? null,
    reason: row.reason as VersionSummary['reason'],
    wordCount: Number(row.word_count ?? 0),
    createdAt: iso(row.created_at),
    userId: (row.user_id as string | null) ?? null,
    authorName: (row.author_name as string | null) ?? null,
  };
}

/** The document's history, newest first, without the stored states (a preview fetches one version on its own). */
export async function listVersions(pool: Pool, claims: Claims, documentId: unknown): Promise<VersionSummary[]> {
  const id = parseId(documentId, 'document');
  try {
    return await withUser(pool, claims, async (tx) => {
      const visible = await tx.query('select 1 from public.documents where id = $1', [id]);
      if (!visible.rowCount) throw new UserError('This document does not exist or is not shared with you.', 'not_found');
      const { rows } = await tx.query(
        `select ${SUMMARY_COLUMNS} from ${SUMMARY_FROM} where v.document_id = $1 order by v.created_at desc, v.id limit 500`,
        [id],
      );
      return rows.map(toSummary);
    });
  } catch (error) {
    throw toUserError(error);
  }
}

/** One version for preview and comparison: its ProseMirror JSON and plain text, never the Yjs state. */
export async function getVersion(pool: Pool, claims: Claims, documentId: unknown, versionId: unknown): Promise<VersionDetail> {
  const ids = { documentId: parseId(documentId, 'document'), versionId: parseId(versionId, 'version') };
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query(
        `select ${SUMMARY_COLUMNS}, v.content, v.plain_text from ${SUMMARY_FROM} where v.id = $1 and v.document_id = $2`,
        [ids.versionId, ids.documentId],
      );
      const row = rows[0];
      if (!row) throw new UserError('That version no longer exists (older versions are pruned by plan).', 'not_found');
      return { ...toSummary(row), content: row.content ?? null, plainText: (row.plain_text as string) ?? '' };
    });
  } catch (error) {
    throw toUserError(error);
  }
}
