import type { VersionSummary } from '@quire/domain/schemas';

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

export const SUMMARY_COLUMNS = `v.id, v.label, v.reason, v.word_count, v.created_at, v.user_id,
  coalesce(nullif(p.display_name, ''), split_part(p.email, '@', 1)) as author_name`;
