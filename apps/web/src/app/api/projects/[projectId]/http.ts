import type { Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { getPool } from '@/lib/db';
import { id } from '@quire/domain/schemas/common';
import { UserError } from '@/lib/errors';
import { callerSession, json, readJson, refuse } from '@/lib/http';
import { StaleWrite } from '@/server/structure/versioned';

export type ProjectContext = { params: Promise<{ projectId: string } & Record<string, string>> };

interface Call {
  request: Request;
  claims: Claims;
  /** the caller's access token, for storage calls made as them */
  accessToken: string;
  pool: Pool;
  projectId: string;
  params: Record<string, string>;
  body: () => Promise<unknown>;
}

/**
 * The structure boards' JSON endpoints: who is asking (cookie or bearer token), the project from the path, and
 * refusals as { error, kind } with their HTTP status; a stale write is a 409 that carries the row as it is now.
 */
export function endpoint(fn: (call: Call) => Promise<unknown>, status = 200) {
  return async (request: Request, context: ProjectContext): Promise<Response> => {
    try {
      const params = await context.params;
      const projectId = idOf(params.projectId, 'project');
      const { claims, accessToken } = await callerSession(request);
      const result = await fn({ request, claims, accessToken, pool: getPool(), projectId, params, body: () => readJson(request) });
      if (result instanceof Response) return result;
      return json(result ?? { ok: true }, status);
    } catch (error) {
      if (error instanceof StaleWrite) return json({ error: error.message, kind: 'conflict', current: error.current }, 409);
      return refuse(error);
    }
  };
}

/** The body with the path's ids laid over it, so a body cannot name another row than the URL does. */
export async function bodyWith(call: Call, ids: Record<string, string>): Promise<Record<string, unknown>> {
  const body = await call.body();
  return { ...(body && typeof body === 'object' ? body : {}), ...ids };
}

export function idOf(value: string, what: string): string {
  const parsed = id.safeParse(value);
  if (!parsed.success) throw new UserError(`That ${what} link is not valid.`, 'not_found');
  return parsed.data;
}
