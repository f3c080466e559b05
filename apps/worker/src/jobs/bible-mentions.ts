import { withService } from '@quire/db/session';
import { storeDocumentMentions, storeProjectMentions } from '@quire/db/bible-mentions';
import { defineJob } from '../job';

/**
 * Recomputes where characters and locations are named, from the stored plain text: the document the collab server
 * just stored, or every document of a project whose names changed. Unchanged text and names are skipped by hash, so
 * a retry or a duplicate costs a read. Enqueued debounced (scheduleMentions), never per keystroke.
 */
export const bibleMentions = defineJob({
  name: 'bible-mentions',
  retry: { limit: 3, delaySeconds: 5, backoff: true },
  expireInSeconds: 5 * 60,
  concurrency: 2,
  async handler(data, { pool, logger }) {
    if ('documentId' in data) {
      const stored = await withService(pool, (tx) => storeDocumentMentions(tx, data.documentId));
      logger.debug({ document: data.documentId, skipped: stored?.skipped ?? 'gone' }, 'mentions stored');
      return stored;
    }
    const stored = await withService(pool, (tx) => storeProjectMentions(tx, data.projectId));
    logger.debug({ project: data.projectId, documents: stored.length }, 'project mentions stored');
    return { documents: stored.length, scanned: stored.filter((s) => !s.skipped).length };
  },
  subject: (data) => ('documentId' in data ? { documentId: data.documentId } : { projectId: data.projectId }),
});
