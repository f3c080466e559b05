/** GoTrue's response and request conventions: JSON bodies with its API version header, its error shape. */

export const API_VERSION = '2024-01-01';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-supabase-api-version': API_VERSION,
      ...headers,
    },
  });
}

/**
 * GoTrue's error body. With the 2024-01-01 API version supabase-js reads `code` as the error code; older clients
 * read `error_code`; the message is `msg` (OAuth-style clients read `error_description`).
 */
export function authError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return json({ code, error_code: code, msg: message, error_description: message, ...extra }, status, headers);
}

export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > 64 * 1024) throw new BadRequest('The request is too large.');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('The request body is not valid JSON.');
  }
}

export class BadRequest extends Error {}
