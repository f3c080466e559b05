import type { Connection, Document } from '@hocuspocus/server';
import * as Y from 'yjs';

/**
 * Transaction origin of state read back from Postgres (load, and the merge a store does). Such changes are already
 * durable, so they are neither logged nor counted as edits. `skipStoreHooks` tells Hocuspocus the same.
 */
export const DB_ORIGIN = { source: 'local' as const, skipStoreHooks: true, context: { quire: 'database' } };

export interface RestoreOrigin {
  source: 'local';
  context: { quire: 'restore'; userId: string };
}

export interface ConnectionProgress {
  /** Updates from this connection applied to the document. */
  applied: number;
  /** Of those, how many are in Postgres. */
  durable: number;
}

export interface DocEntry {
  id: string;
  projectId: string;
  doc: Document;
  /** Applied updates not yet in document_updates. */
  pending: Uint8Array[];
  pendingBytes: number;
  conns: Map<Connection, ConnectionProgress>;
  /** Log rows whose content is already in the in-memory document (written or read by this instance). */
  knownLogIds: Set<number>;
  /** md5 of the yjs_state this instance last read or wrote; another value in the row means another writer. */
  storedHash: string | null;
  /** Counts every non-database change; the store records the count its state covers. */
  gen: number;
  storedGen: number;
  dirtySince: number;
  storeDue: number;
  storeTimer: NodeJS.Timeout | null;
  retryTimer: NodeJS.Timeout | null;
  storeFailures: number;
  storeChain: Promise<void>;
  storing: number;
  /** Approximate encoded size, for the document size limit. */
  size: number;
  lastEditAt: number;
  editingSince: number | null;
  lastEditorId: string | null;
  gone: boolean;
  detach: () => void;
}

export class DocumentGone extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} no longer exists`);
  }
}

export interface VersionRow {
  id: string;
  created_at: Date;
  reason: 'idle' | 'interval' | 'manual' | 'restore';
  label: string | null;
  user_id: string | null;
}

/**
 * Y.mergeUpdates re-sorts its input decoders on every step, so one call over hundreds of small updates costs far more
 * than merging small groups and then the groups' results. The result is byte-identical.
 */
export function mergeInGroups(updates: Uint8Array[], group = 16): Uint8Array {
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += group) next.push(level.length - i === 1 ? level[i]! : Y.mergeUpdates(level.slice(i, i + group)));
    level = next;
  }
  return level[0]!;
}
