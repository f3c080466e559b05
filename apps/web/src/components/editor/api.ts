/**
 * The editor's calls to its own web API (comments and versions). Each answers the server's wording on failure,
 * so the panels can show why something was refused instead of a status code.
 */
import type { CommentDto, VersionDetail, VersionSummary } from '@quire/domain/schemas';

export type { CommentDto, VersionDetail, VersionSummary };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      credentials: 'same-origin',
      headers: init?.body ? { 'content-type': 'application/json' } : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('You appear to be offline. Try again when the connection is back.', 0);
  }
  const data = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok) throw new ApiError(data?.error ?? `The server answered ${response.status}.`, response.status);
  return data as T;
}

const base = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`;

export const editorApi = {
  listComments: (documentId: string) => call<{ comments: CommentDto[] }>(`${base(documentId)}/comments`).then((r) => r.comments),
  createThread: (documentId: string, input: { body: string; anchor: { from: string; to: string }; quote: string }) =>
    call<{ comment: CommentDto }>(`${base(documentId)}/comments`, { method: 'POST', body: JSON.stringify(input) }).then((r) => r.comment),
  reply: (documentId: string, parentId: string, body: string) =>
    call<{ comment: CommentDto }>(`${base(documentId)}/comments`, { method: 'POST', body: JSON.stringify({ parentId, body }) }).then(
      (r) => r.comment,
    ),
  editComment: (documentId: string, commentId: string, body: string) =>
    call<{ comment: CommentDto }>(`${base(documentId)}/comments/${commentId}`, { method: 'PATCH', body: JSON.stringify({ body }) }),
  setResolved: (documentId: string, commentId: string, resolved: boolean) =>
    call<{ comment: CommentDto }>(`${base(documentId)}/comments/${commentId}`, { method: 'PATCH', body: JSON.stringify({ resolved }) }),
  deleteComment: (documentId: string, commentId: string) =>
    call<{ deleted: string }>(`${base(documentId)}/comments/${commentId}`, { method: 'DELETE' }),
  listVersions: (documentId: string) => call<{ versions: VersionSummary[] }>(`${base(documentId)}/versions`).then((r) => r.versions),
  getVersion: (documentId: string, versionId: string) =>
    call<{ version: VersionDetail }>(`${base(documentId)}/versions/${versionId}`).then((r) => r.version),
  saveVersion: (documentId: string, label: string) =>
    call<{ version: VersionSummary }>(`${base(documentId)}/versions`, { method: 'POST', body: JSON.stringify({ label }) }).then((r) => r.version),
};
