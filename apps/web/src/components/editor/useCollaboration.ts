'use client';

import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider';
import { useEffect, useRef, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { fromBase64 } from './anchors';

/** What the collab server says about this connection (docs/collab.md, "session" and "role"). */
export interface CollabSession {
  userId: string;
  name: string;
  color: string;
  role: string;
  readOnly: boolean;
}

export type ServerMessage =
  | ({ type: 'session' } & CollabSession)
  | { type: 'saved'; pending: number; stateVector: string }
  | { type: 'role'; role: string; readOnly: boolean }
  | { type: 'comments-changed'; documentId: string; commentId: string; op: 'insert' | 'update' | 'delete' }
  | { type: 'version-saved'; versionId: string; reason: string; label: string | null; createdAt: string; userId: string | null; requestId?: string }
  | { type: 'version-restored'; versionId: string; backupVersionId: string; userId: string; requestId?: string }
  | { type: 'error'; code: string; message: string; requestId?: string };

export type Connection = 'connecting' | 'connected' | 'offline';

/** Why the server would not let us in, in words for the page (the reasons of apps/collab/src/protocol.ts). */
export interface Refusal {
  reason: string;
  message: string;
  /** Further attempts cannot succeed (no access, document gone); the page stops showing the editor as live. */
  final: boolean;
}

/** Refusals after which this browser's copy of the document must go: the person may no longer read it. */
const FORGET = new Set(['forbidden', 'membership-revoked', 'not-found', 'document-deleted']);

const REFUSALS: Record<string, { message: string; final: boolean }> = {
  forbidden: { message: 'You do not have access to this document.', final: true },
  'membership-revoked': { message: 'Your access to this project was removed.', final: true },
  'not-found': { message: 'This document no longer exists.', final: true },
  'document-deleted': { message: 'This document was deleted.', final: true },
  'document-too-large': { message: 'This document is too large to open live.', final: true },
  'token-expired': { message: 'Your session expired; reconnecting…', final: false },
  'invalid-token': { message: 'Your session is no longer valid. Sign in again.', final: true },
  'missing-token': { message: 'Sign in to open this document.', final: true },
  'load-failed': { message: 'The document could not be loaded. Retrying…', final: false },
  'rate-limited': { message: 'Too many changes at once; slowing down…', final: false },
  'server-shutdown': { message: 'The server is restarting; reconnecting…', final: false },
};

export function describeRefusal(reason: string): Refusal {
  const known = REFUSALS[reason];
  return { reason, message: known?.message ?? 'The live connection was refused.', final: known?.final ?? false };
}

function stateVector(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/**
 * True when the stored state covers every change written in this browser. Only our own Yjs clients count: the
 * server acknowledges what a connection sent, and a co-writer's keystrokes are theirs to see saved, not ours.
 */
function covers(stored: Map<number, number>, local: Map<number, number>, own: Set<number>): boolean {
  for (const client of own) if ((stored.get(client) ?? 0) < (local.get(client) ?? 0)) return false;
  return true;
}

export interface Collaboration {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  /** Resolves when the browser's own copy (IndexedDB) has been read; the editor can show something offline. */
  localReady: boolean;
  /** The first exchange with the server is done. */
  synced: boolean;
  connection: Connection;
  /** Every change this browser knows is in Postgres (the server's "saved" state vector covers ours). */
  stored: boolean;
  session: CollabSession | null;
  refusal: Refusal | null;
  /** Sends a stateless request (docs/collab.md) and resolves with the reply that carries its requestId. */
  request: (message: Record<string, unknown>, replyType: string, timeoutMs?: number) => Promise<ServerMessage>;
}

/**
 * One live document: a Y.Doc kept in IndexedDB (edits made offline survive a reload and sync on reconnect) and a
 * Hocuspocus connection named by the document id, authenticated with the current Supabase access token.
 */
export function useCollaboration(options: {
  documentId: string;
  url: string;
  getToken: () => Promise<string>;
  onMessage?: (message: ServerMessage) => void;
}): Collaboration | null {
  const { documentId, url } = options;
  const latest = useRef(options);
  latest.current = options;
  const [handles, setHandles] = useState<{ doc: Y.Doc; provider: HocuspocusProvider } | null>(null);
  const [localReady, setLocalReady] = useState(false);
  const [synced, setSynced] = useState(false);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [stored, setStored] = useState(true);
  const [session, setSession] = useState<CollabSession | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const waiters = useRef(new Map<string, { replyType: string; resolve: (m: ServerMessage) => void; reject: (e: Error) => void }>());

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`quire:document:${documentId}`, doc);
    let storedVector = new Map<number, number>();
    // this session's client, plus every client whose edits were kept in this browser (offline work of earlier visits)
    const own = new Set<number>([doc.clientID]);
    let serverPending = 0;
    let disposed = false;
    let wasConnected = false;

    // A deletion does not advance any state vector, so a local change also marks the document unsaved until a
    // "saved" arrives with nothing pending while the provider has nothing unacknowledged (docs/collab.md).
    let localChange = false;
    const recomputeStored = () => {
      if (!disposed) setStored(!localChange && serverPending === 0 && covers(storedVector, stateVector(doc), own));
    };

    const refuse = (reason: string) => {
      if (disposed) return;
      const refused = describeRefusal(reason);
      setRefusal(refused);
      if (!refused.final) return;
      provider.configuration.websocketProvider.disconnect();
      // no access any more: a copy kept in this browser would outlive the permission to read it
      if (FORGET.has(reason)) void local.clearData().catch(() => {});
    };

    const provider = new HocuspocusProvider({
      url,
      name: documentId,
      document: doc,
      // asked on every (re)connect, so a refreshed session is what the server sees next
      token: () => latest.current.getToken(),
      onStatus: ({ status }) => {
        if (disposed) return;
        if (status === WebSocketStatus.Connected) {
          wasConnected = true;
          setConnection('connected');
        } else {
          setConnection(status === WebSocketStatus.Connecting && !wasConnected ? 'connecting' : 'offline');
        }
      },
      onSynced: () => {
        if (disposed) return;
        setSynced(true);
        setRefusal(null);
      },
      onAuthenticationFailed: ({ reason }) => refuse(reason),
      onClose: ({ event }) => {
        if (event?.reason && REFUSALS[event.reason]) refuse(event.reason);
      },
      onStateless: ({ payload }) => {
        if (disposed) return;
        let message: ServerMessage;
        try {
          message = JSON.parse(payload) as ServerMessage;
        } catch {
          return;
        }
        if (message.type === 'session') {
          const { type: _type, ...rest } = message;
          setSession(rest);
        } else if (message.type === 'role') {
          setSession((current) => (current ? { ...current, role: message.role, readOnly: message.readOnly } : current));
        } else if (message.type === 'saved') {
          try {
            storedVector = Y.decodeStateVector(fromBase64(message.stateVector));
          } catch {
            // a vector we cannot read tells us nothing; keep the last one
          }
          serverPending = message.pending;
          if (message.pending === 0 && !provider.hasUnsyncedChanges) localChange = false;
          recomputeStored();
        }
        const requestId = 'requestId' in message ? message.requestId : undefined;
        if (requestId) {
          const waiter = waiters.current.get(requestId);
          if (waiter && (message.type === waiter.replyType || message.type === 'error')) {
            waiters.current.delete(requestId);
            if (message.type === 'error') waiter.reject(new Error(message.message));
            else waiter.resolve(message);
          }
        }
        latest.current.onMessage?.(message);
      },
    });

    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === local) for (const client of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)).keys()) own.add(client);
      else if (origin !== provider) localChange = true;
      recomputeStored();
    };
    doc.on('update', onUpdate);
    // A socket can look open for a long time after the network went away; the browser knows sooner. Going offline
    // drops the socket so the page says so, and coming back reconnects at once instead of after a backoff.
    const socket = provider.configuration.websocketProvider;
    const goOffline = () => {
      socket.disconnect();
      setConnection('offline');
    };
    const goOnline = () => void socket.connect();
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);
    if (!navigator.onLine) goOffline();
    local.whenSynced.then(() => {
      if (!disposed) {
        setLocalReady(true);
        recomputeStored();
      }
    });
    setHandles({ doc, provider });

    return () => {
      disposed = true;
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      doc.off('update', onUpdate);
      provider.destroy();
      void local.destroy();
      doc.destroy();
      for (const waiter of waiters.current.values()) waiter.reject(new Error('The document was closed.'));
      waiters.current.clear();
      setHandles(null);
      setSynced(false);
      setLocalReady(false);
      setSession(null);
      setRefusal(null);
      setConnection('connecting');
    };
  }, [documentId, url]);

  if (!handles) return null;
  const request: Collaboration['request'] = (message, replyType, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      if (connection !== 'connected') {
        reject(new Error('You are offline. Try again when the connection is back.'));
        return;
      }
      const requestId = Math.random().toString(36).slice(2) + Date.now().toString(36);
      const timer = setTimeout(() => {
        waiters.current.delete(requestId);
        reject(new Error('The server did not answer in time. Try again.'));
      }, timeoutMs);
      waiters.current.set(requestId, {
        replyType,
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      handles.provider.sendStateless(JSON.stringify({ ...message, requestId }));
    });
  return { ...handles, localReady, synced, connection, stored, session, refusal, request };
}
