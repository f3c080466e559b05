import type { Pool } from './pool';
import { withService, type Tx } from './session';

/**
 * The AI quota, checked before every model call. The caller reserves the most words the call may produce; the
 * reservation is refused past the owner's monthly allowance (Postgres error P0001, hint 'quota:ai_words', message
 * "The free plan allows 5,000 AI words a month. Upgrade to use more." — the web app's toUserError turns it into a
 * 402 quota refusal like every other limit). After the call, `settleAiWords` records what was really used; when the
 * call fails, `releaseAiWords` gives the reservation back.
 *
 *   const reservation = await reserveAiWords(pool, { userId, projectId, words: maxWords });
 *   try { text = await model(...) } catch (e) { await releaseAiWords(pool, reservation); throw e }
 *   await settleAiWords(pool, reservation, { words: countWords(text), feature: 'continue', model: 'gpt-4o-mini' });
 *
 * The check and the count are one UPDATE (private.reserve_ai_words), so concurrent calls cannot both slip under
 * the limit. Words are charged to the person who asks, as ai_usage's trigger does. The month is the UTC calendar
 * month (docs/billing.md).
 */

export interface AiWordReservation {
  userId: string;
  projectId: string | null;
  words: number;
  /** First day (UTC) of the month the words were reserved in, YYYY-MM-DD. */
  period: string;
  /** Words still allowed this month after this reservation; null on a plan without a limit. */
  left: number | null;
}

export interface AiWordRequest {
  userId: string;
  projectId?: string | null;
  words: number;
  /** The clock, for tests; the database's now() otherwise. */
  asOf?: Date;
}

function firstOfMonth(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

/** Reserves `words` AI words for the caller, or throws the plan's quota error. */
export async function reserveAiWords(pool: Pool, request: AiWordRequest): Promise<AiWordReservation> {
  if (!Number.isInteger(request.words) || request.words <= 0) throw new RangeError(`reserve a positive whole number of AI words, not ${request.words}`);
  // withService: called by the server before a model call, for the person it has already authenticated
  return withService(pool, async (tx) => {
    const { rows } = await tx.query<{ left: string | null; at: Date }>(
      `select private.reserve_ai_words($1, $2, $3, coalesce($4::timestamptz, now())) as left, coalesce($4::timestamptz, now()) as at`,
      [request.userId, request.words, request.projectId ?? null, request.asOf ?? null],
    );
    const row = rows[0]!;
    return {
      userId: request.userId,
      projectId: request.projectId ?? null,
      words: request.words,
      period: firstOfMonth(row.at),
      left: row.left === null ? null : Number(row.left),
    };
  });
}

async function release(tx: Tx, reservation: AiWordReservation): Promise<void> {
  await tx.query(`select private.release_ai_words($1, $2, $3::date, $4)`, [reservation.userId, reservation.words, reservation.period, reservation.projectId]);
}

/** The model call failed or was canceled: the reserved words go back. Call it once per reservation. */
export async function releaseAiWords(pool: Pool, reservation: AiWordReservation): Promise<void> {
  // withService: the server's own bookkeeping for the reservation it made
  await withService(pool, (tx) => release(tx, reservation));
}

export interface AiUsageRecord {
  /** Words the call really produced (may be fewer than reserved). */
  words: number;
  feature: string;
  model: string;
  documentId?: string | null;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
}

/**
 * The call succeeded: in one transaction the reservation is released and the call is recorded in ai_usage, whose
 * trigger counts the words used (counter and ledger). Returns the ai_usage row's id.
 */
export async function settleAiWords(pool: Pool, reservation: AiWordReservation, usage: AiUsageRecord): Promise<string> {
  // withService: ai_usage is written by the server only (a person could under-report their own usage)
  return withService(pool, async (tx) => {
    await release(tx, reservation);
    const { rows } = await tx.query<{ id: string }>(
      `insert into public.ai_usage (user_id, project_id, document_id, feature, model, prompt_tokens, completion_tokens, words, cost_usd)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [
        reservation.userId,
        reservation.projectId,
        usage.documentId ?? null,
        usage.feature,
        usage.model,
        usage.promptTokens ?? 0,
        usage.completionTokens ?? 0,
        usage.words,
        usage.costUsd ?? 0,
      ],
    );
    return rows[0]!.id;
  });
}
