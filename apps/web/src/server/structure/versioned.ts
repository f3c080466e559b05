import type { Tx } from '@quire/db/session';
import { UserError, toUserError } from '../../lib/errors';

/**
 * A write based on a version someone else has already replaced. It carries the row as it is now, so the writer's
 * screen can show the other change next to what they typed and let them apply theirs on top.
 */
export class StaleWrite<T = unknown> extends UserError {
  constructor(readonly current: T, what = 'card') {
    super(`Someone else changed this ${what} while you were editing it. Their version is shown; yours is kept so you can apply it again.`, 'conflict');
    this.name = 'StaleWrite';
  }
}

export type Assignments = Record<string, unknown>;

/**
 * `update … where id = $1 and project_id = $2 and version = $3`. No row: if the caller can read it, either the
 * version moved on (StaleWrite with the current row) or their role does not allow the write (RLS hid it from UPDATE);
 * if they cannot read it, it is gone.
 */
export async function updateVersioned<T extends { version: number }>(
  tx: Tx,
  options: {
    table: 'outlines' | 'outline_sections' | 'story_beats' | 'plot_issues' | 'character_relationships' | 'locations' | 'location_events' | 'characters' | 'character_arcs';
    id: string;
    projectId: string;
    version: number;
    set: Assignments;
    load: (tx: Tx, id: string) => Promise<T | null>;
    what: string;
    forbidden: string;
  },
): Promise<T> {
  const columns = Object.keys(options.set);
  const assignments = columns.map((column, i) => `${column} = $${i + 4}`).join(', ');
  const { rowCount } = await tx.query(
    `update public.${options.table} set ${assignments} where id = $1 and project_id = $2 and version = $3`,
    [options.id, options.projectId, options.version, ...columns.map((c) => options.set[c])],
  );
  if (!rowCount) {
    const current = await options.load(tx, options.id);
    if (!current) throw new UserError(`This ${options.what} no longer exists. Someone may have deleted it.`, 'not_found');
    if (current.version !== options.version) throw new StaleWrite(current, options.what);
    throw new UserError(options.forbidden, 'forbidden');
  }
  return (await options.load(tx, options.id))!;
}

/** Serialises order and tree changes of one board, so two moves never read the same neighbours. */
export async function lockBoard(tx: Tx, key: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`quire.${key}`]);
}

/** The tree guard's refusals (guard_outline_tree) are written for people; other constraint errors stay generic. */
const TREE_REFUSAL = /^(A section cannot be moved inside itself|Outlines nest at most)/;

export function structureError(error: unknown, forbidden = EDIT_REFUSAL): UserError {
  const pg = error as { code?: string; message?: string };
  if (pg?.code === '23514' && pg.message && TREE_REFUSAL.test(pg.message)) return new UserError(pg.message, 'invalid');
  return toUserError(error, { forbidden });
}

export const EDIT_REFUSAL = 'Only the owner and editors can change this board. Ask the owner for editor access.';
