/** Calls the structure endpoints; a refusal comes back as data the screens show, a 409 with the current row. */
export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; kind: string; current?: unknown };

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return { ok: true, data: data as T };
    return { ok: false, status: response.status, error: String(data.error ?? 'That did not work.'), kind: String(data.kind ?? 'unavailable'), current: data.current };
  } catch {
    return { ok: false, status: 0, error: 'Quire cannot be reached. Check your connection and try again.', kind: 'unavailable' };
  }
}
