import { z } from 'zod';
import { fieldErrors, firstError, id as idSchema } from '@quire/domain/schemas';

export type RefusalKind = 'invalid' | 'forbidden' | 'not_found' | 'quota' | 'conflict' | 'expired' | 'unavailable';

/** A refusal worded for the person using Quire; anything else that escapes is a bug and gets a generic line. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly kind: RefusalKind,
    readonly fields?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

export type ActionResult<T = null> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; kind: RefusalKind; fields?: Record<string, string> };

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new UserError(firstError(result.error), 'invalid', fieldErrors(result.error));
  return result.data;
}

/** An id from a link (route segment, form field); a malformed one reads as a link that leads nowhere. */
export function parseId(value: unknown, what: string): string {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new UserError(`That ${what} link is not valid.`, 'not_found');
  return parsed.data;
}

interface PgError {
  code?: string;
  message?: string;
  hint?: string;
  constraint?: string;
}

const RLS_TEXT = /row-level security|permission denied/i;

/**
 * Turns what Postgres said into what a writer should read. The schema's own exceptions (quota, last owner,
 * invitations) are already written for people and pass through; policy refusals get the caller's wording.
 */
export function toUserError(error: unknown, wording: { forbidden?: string; conflict?: string } = {}): UserError {
  if (error instanceof UserError) return error;
  const pg = error as PgError;
  const hint = pg.hint ?? '';
  if (pg.code === 'P0001' || pg.code === 'P0002') {
    const kind: RefusalKind = hint.startsWith('quota:')
      ? 'quota'
      : hint === 'invitation:expired'
        ? 'expired'
        : hint.startsWith('invitation:')
          ? 'invalid'
          : 'conflict';
    return new UserError(pg.message ?? 'That could not be done.', kind);
  }
  if (pg.code === '42501') {
    if (hint.startsWith('invitation:') || (pg.message && !RLS_TEXT.test(pg.message) && /^[A-Z]/.test(pg.message))) {
      return new UserError(pg.message!, 'forbidden');
    }
    return new UserError(wording.forbidden ?? 'Your role in this project does not allow that.', 'forbidden');
  }
  if (pg.code === '23505') return new UserError(wording.conflict ?? 'That already exists.', 'conflict');
  if (pg.code === '23503') return new UserError('Something this refers to no longer exists. Reload the page.', 'not_found');
  if (pg.code === '23514' || pg.code === '22001') return new UserError('That value is not allowed here.', 'invalid');
  if (pg.code === '22P02') return new UserError('That link or reference is not valid.', 'invalid');
  if (pg.code === '57014' || pg.code === 'ECONNREFUSED' || pg.code === '53300') {
    return new UserError('Quire cannot reach its database right now. Try again in a moment.', 'unavailable', undefined, { cause: error });
  }
  // the cause travels along so whoever logs the refusal logs what actually went wrong
  return new UserError('Something went wrong on our side. Try again in a moment.', 'unavailable', undefined, { cause: error });
}

/** Runs a mutation and reports the outcome in a shape forms can show; unexpected errors are logged, not leaked. */
export async function attempt<T>(fn: () => Promise<T>, wording?: { forbidden?: string; conflict?: string }): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    const refusal = toUserError(error, wording);
    if (refusal.kind === 'unavailable') console.error(refusal.cause ?? error);
    return { ok: false, error: refusal.message, kind: refusal.kind, fields: refusal.fields };
  }
}
