import type { Extension } from '@hocuspocus/server';
import type { Change, ChangeFeed } from '../changes';
import type { Persistence } from '../persistence';
import { encodeStateless } from '../protocol';
import type { CollabContext } from '../sessions';

export interface CommentsChannelConfiguration {
  feed: ChangeFeed;
  persistence: Persistence;
}

/**
 * Comments live in Postgres, not in the Yjs document; a change to one (from the web app's API) reaches the editors
 * that have its document open as a 'comments-changed' notice, so they re-read the thread.
 */
export class CommentsChannel implements Extension<CollabContext> {
  readonly extensionName = 'quire-comments-channel';

  constructor(private readonly configuration: CommentsChannelConfiguration) {
    configuration.feed.on((change) => this.handleChange(change));
  }

  handleChange(change: Change) {
    if (change.table !== 'comments' || !change.document_id || !change.comment_id) return;
    const entry = this.configuration.persistence.entries.get(change.document_id);
    const op = change.op === 'insert' || change.op === 'update' || change.op === 'delete' ? change.op : 'update';
    // Every instance hears the NOTIFY itself, so each tells only its own clients (no Redis fan-out).
    if (entry && !entry.doc.isDestroyed)
      entry.doc.relayStateless(encodeStateless({ type: 'comments-changed', documentId: change.document_id, commentId: change.comment_id, op }));
  }
}
