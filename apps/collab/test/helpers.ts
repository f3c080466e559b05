// The ProvidedContext augmentation that types inject('adminUrl').
import type {} from '../../../test/global-setup';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { createPool, type Pool } from '@quire/db';
import { createTestDatabase } from '@quire/db/testing';
import { SignJWT } from 'jose';
import { inject } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startCollabServer, type CollabServer } from '../src/server';
import type { CollabConfigInput } from '../src/config';

export const JWT_SECRET = 'test-secret-for-quire-collab-0123456789';
export { WebSocket };

export interface TestDb {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDb> {
  const db = await createTestDatabase(inject('adminUrl'));
  const pool = createPool(db.url, { max: 4, applicationName: 'collab-test' });
  return {
    url: db.url,
    pool,
    drop: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

let userCounter = 0;

export async function createUser(pool: Pool, name = 'Writer'): Promise<{ id: string; email: string }> {
  const email = `user${process.pid}-${Date.now()}-${userCounter++}@example.test`;
  const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [email]);
  const id = rows[0]!.id;
  await pool.query(`update public.user_profiles set display_name = $2 where id = $1`, [id, name]);
  return { id, email };
}

export async function createProject(pool: Pool, ownerId: string): Promise<string> {
  // The team plan, so tests can add as many collaborators as they need.
  await pool.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [ownerId]);
  const { rows } = await pool.query<{ id: string }>(`insert into public.projects (user_id, title) values ($1, 'Test project') returning id`, [ownerId]);
  return rows[0]!.id;
}

export async function addMember(pool: Pool, projectId: string, userId: string, role: 'editor' | 'commenter' | 'viewer') {
  await pool.query(`insert into public.project_members (project_id, user_id, role) values ($1, $2, $3)`, [projectId, userId, role]);
}

export async function createDocument(pool: Pool, projectId: string, options: { content?: unknown; plainText?: string } = {}): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into public.documents (project_id, title, content, plain_text) values ($1, 'Chapter', $2::jsonb, $3) returning id`,
    [projectId, options.content === undefined ? null : JSON.stringify(options.content), options.plainText ?? ''],
  );
  return rows[0]!.id;
}

export async function token(user: { id: string; email?: string }, options: { expiresInSeconds?: number; secret?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated', email: user.email ?? 'x@example.test', session_id: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setAudience('authenticated')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

export async function startServer(db: TestDb, overrides: Partial<CollabConfigInput> = {}): Promise<CollabServer> {
  return startCollabServer({
    databaseUrl: db.url,
    jwtSecret: JWT_SECRET,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    storeDebounceMs: 300,
    storeMaxDebounceMs: 1_000,
    versionIdleMs: 0,
    versionIntervalMs: 0,
    dbPoolSize: 4,
    ...overrides,
  });
}

/** Polls until `check` returns true; bounded, so a broken feature fails the test instead of hanging it. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Client {
  provider: HocuspocusProvider;
  doc: Y.Doc;
  stateless: Array<Record<string, unknown>>;
  closes: string[];
  authFailures: string[];
  authenticated: boolean;
  /** The last of the events that decide the save indicator: a local change/ack, or a 'saved' message. */
  lastSaveEvent: { kind: 'unsynced' } | { kind: 'saved'; pending: number };
  destroy(): void;
}

export function connect(url: string, documentId: string, tokenValue: string | (() => Promise<string>), options: { doc?: Y.Doc } = {}): Client {
  const doc = options.doc ?? new Y.Doc();
  const client: Client = {
    doc,
    stateless: [],
    closes: [],
    authFailures: [],
    authenticated: false,
    lastSaveEvent: { kind: 'unsynced' },
    provider: undefined as unknown as HocuspocusProvider,
    destroy: () => client.provider.destroy(),
  };
  client.provider = new HocuspocusProvider({
    url,
    name: documentId,
    document: doc,
    token: tokenValue,
    WebSocketPolyfill: WebSocket,
    delay: 50,
    minDelay: 50,
    maxDelay: 500,
    onStateless: ({ payload }) => {
      const message = JSON.parse(payload);
      client.stateless.push(message);
      if (message.type === 'saved') client.lastSaveEvent = { kind: 'saved', pending: message.pending };
    },
    onUnsyncedChanges: () => (client.lastSaveEvent = { kind: 'unsynced' }),
    onClose: ({ event }) => client.closes.push(event.reason),
    onAuthenticationFailed: ({ reason }) => client.authFailures.push(reason),
    onAuthenticated: () => (client.authenticated = true),
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  return client;
}

export async function synced(client: Client, what = 'sync'): Promise<void> {
  await waitFor(() => client.provider.isSynced, what);
}

/** Appends a paragraph with `text` to the manuscript fragment. */
export function appendParagraph(doc: Y.Doc, text: string) {
  const fragment = doc.getXmlFragment('default');
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.push([paragraph]);
}

export function paragraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('') : ''));
}

/**
 * The editor's rule from docs/collab.md: everything is saved when nothing is unacknowledged and the last event was a
 * 'saved' message with pending 0 (an acknowledgement arriving after it means a newer change is not durable yet).
 */
export function allSaved(client: Client): boolean {
  return !client.provider.hasUnsyncedChanges && client.lastSaveEvent.kind === 'saved' && client.lastSaveEvent.pending === 0;
}

export async function storedState(pool: Pool, documentId: string) {
  // One statement, so the row and the log come from the same snapshot even while the server compacts.
  const { rows } = await pool.query<{ yjs_state: Buffer | null; plain_text: string; word_count: number; content: unknown; log: Buffer[] }>(
    `select yjs_state, plain_text, word_count, content,
            array(select u.update from public.document_updates u where u.document_id = d.id order by u.id) as log
       from public.documents d where d.id = $1`,
    [documentId],
  );
  return rows[0]!;
}

/** The document as Postgres holds it: yjs_state plus the update log. */
export async function durableDoc(pool: Pool, documentId: string): Promise<Y.Doc> {
  const stored = await storedState(pool, documentId);
  const doc = new Y.Doc();
  if (stored.yjs_state) Y.applyUpdate(doc, stored.yjs_state);
  for (const u of stored.log) Y.applyUpdate(doc, u);
  return doc;
}
