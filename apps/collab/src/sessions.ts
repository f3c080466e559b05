import type { Connection } from '@hocuspocus/server';
import type { Pool } from '@quire/db/pool';
import { withUser, type Claims } from '@quire/db/session';
import { strongest, type ProjectRole } from '@quire/domain';
import type { Metrics } from './metrics';
import { CLOSE_CODES, type RefusalReason } from './protocol';

/** One authenticated user on one document through one connection. Mutated in place (see context.session). */
export interface Session {
  userId: string;
  name: string;
  color: string;
  claims: Claims;
  /** Token expiry, seconds since the epoch. */
  exp: number;
  role: ProjectRole;
  documentId: string;
  projectId: string;
  connection: Connection | null;
  tokenRequestedAt: number;
  createdAt: number;
  /** A membership change arrived before the connection was set up; re-check once it is. */
  stale: boolean;
  closed: boolean;
  busy: boolean;
  rechecking: Promise<void> | null;
  recheckAgain: boolean;
}

export interface CollabContext {
  session?: Session;
}

/**
 * Every session of this instance: authentication adds them, the live role checks and the token sweep walk them,
 * closing a connection removes them.
 */
export class Sessions implements Iterable<Session> {
  private readonly all = new Set<Session>();

  constructor(private readonly metrics: Metrics) {}

  add(session: Session) {
    this.all.add(session);
  }

  delete(session: Session) {
    this.all.delete(session);
  }

  [Symbol.iterator]() {
    return this.all[Symbol.iterator]();
  }

  /** Closes the session's connection with a reason the client can show; counted once. */
  close(session: Session, reason: RefusalReason) {
    if (session.closed) return;
    session.closed = true;
    this.metrics.refusal(reason);
    session.connection?.close({ code: CLOSE_CODES[reason], reason });
  }
}

export function sessionOf(connection: Connection | undefined | null): Session | undefined {
  return (connection?.context as CollabContext | undefined)?.session;
}

export interface Access {
  projectId: string;
  role: ProjectRole | null;
  name: string;
}

/**
 * The caller's role on a document, read as the caller: Row Level Security decides what is visible, so a document
 * the caller may not read yields null just like one that does not exist.
 */
export async function readAccess(pool: Pool, claims: Claims, documentId: string): Promise<Access | null> {
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query<{
      project_id: string;
      member_role: ProjectRole | null;
      share_role: ProjectRole | null;
      display_name: string | null;
      email: string | null;
    }>(
      `select d.project_id,
              (select pm.role from public.project_members pm where pm.project_id = d.project_id and pm.user_id = auth.uid()) as member_role,
              (select dc.role from public.document_collaborators dc where dc.document_id = d.id and dc.user_id = auth.uid()) as share_role,
              up.display_name, up.email
         from public.documents d
         left join public.user_profiles up on up.id = auth.uid()
        where d.id = $1`,
      [documentId],
    );
    const row = rows[0];
    if (!row) return null;
    const name = row.display_name?.trim() || row.email?.split('@')[0] || 'Anonymous';
    return { projectId: row.project_id, role: strongest(row.member_role, row.share_role), name };
  });
}

