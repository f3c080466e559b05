import { z } from 'zod';

/**
 * The reason strings a client can receive: as the `reason` of a refused authentication (provider event
 * `authenticationFailed`), as the reason of a closed document connection (provider event `close`), or as the
 * close reason of the websocket itself. docs/collab.md lists what each one means for the editor.
 */
export type RefusalReason =
  | 'missing-token'
  | 'invalid-token'
  | 'token-expired'
  | 'not-found'
  | 'bad-document-name'
  | 'forbidden'
  | 'load-failed'
  | 'membership-revoked'
  | 'document-deleted'
  | 'document-too-large'
  | 'message-too-big'
  | 'rate-limited'
  | 'malformed-message'
  | 'forbidden-message'
  | 'forbidden-update'
  | 'unsupported-message'
  | 'server-shutdown';

/** Websocket close codes (4000–4999 are the application's). */
export const CLOSE_CODES: Record<RefusalReason, number> = {
  'missing-token': 4401,
  'invalid-token': 4401,
  'token-expired': 4401,
  'not-found': 4404,
  'bad-document-name': 4400,
  forbidden: 4403,
  'load-failed': 4500,
  'membership-revoked': 4403,
  'document-deleted': 4410,
  'document-too-large': 4413,
  'message-too-big': 1009,
  'rate-limited': 4429,
  'malformed-message': 4400,
  'forbidden-message': 4400,
  'forbidden-update': 4400,
  'unsupported-message': 4400,
  'server-shutdown': 1012,
};

/**
 * Thrown from hooks to refuse. Hocuspocus sends `reason` to the provider. Refusals are expected traffic, not errors:
 * `message` stays empty because Hocuspocus prints every hook error that has one, and the stack is one line because
 * Hocuspocus prints the error that closes a connection — a refusal should read as one log line, not a crash.
 */
export class Refusal extends Error {
  declare readonly reason: RefusalReason;
  declare readonly code: number;
  declare readonly detail: string;
  constructor(reason: RefusalReason, detail = '') {
    super();
    this.name = 'Refusal';
    this.stack = `Refusal (${reason})${detail ? `: ${detail}` : ''}`;
    // Not enumerable, so the printed error is that line alone; Hocuspocus still reads `code` and `reason`.
    Object.defineProperties(this, {
      reason: { value: reason, enumerable: false },
      code: { value: CLOSE_CODES[reason], enumerable: false },
      detail: { value: detail, enumerable: false },
    });
  }
}

// ---- stateless messages, client -> server -------------------------------------------------------------------

const requestId = z.string().max(100).optional();

export const inboundStateless = z.discriminatedUnion('type', [
  z.object({ type: z.literal('save-version'), label: z.string().trim().min(1).max(120).optional(), requestId }),
  z.object({ type: z.literal('restore-version'), versionId: z.uuid(), requestId }),
]);
export type InboundStateless = z.infer<typeof inboundStateless>;

// ---- stateless messages, server -> client -------------------------------------------------------------------

export type OutboundStateless =
  | { type: 'session'; userId: string; name: string; color: string; role: string; readOnly: boolean }
  | { type: 'saved'; pending: number; stateVector: string }
  | { type: 'role'; role: string; readOnly: boolean }
  | { type: 'comments-changed'; documentId: string; commentId: string; op: 'insert' | 'update' | 'delete' }
  | {
      type: 'version-saved';
      versionId: string;
      reason: 'idle' | 'interval' | 'manual' | 'restore';
      label: string | null;
      createdAt: string;
      userId: string | null;
      requestId?: string;
    }
  | { type: 'version-restored'; versionId: string; backupVersionId: string; userId: string; requestId?: string }
  | { type: 'error'; code: string; message: string; requestId?: string };

export function encodeStateless(message: OutboundStateless): string {
  return JSON.stringify(message);
}

/** One stateless message to one connection. */
export function sendStateless(connection: { sendStateless(payload: string): void }, message: OutboundStateless): void {
  connection.sendStateless(encodeStateless(message));
}
