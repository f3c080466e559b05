import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';

/** How the signed-in person is named to others (carets, comments): their display name, else their address's name. */
export async function getDisplayName(pool: Pool, claims: Claims): Promise<string | null> {
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query<{ name: string | null }>(
      `select coalesce(nullif(display_name, ''), split_part(email, '@', 1)) as name from public.user_profiles where id = (select auth.uid())`,
    );
    return rows[0]?.name ?? null;
  });
}
