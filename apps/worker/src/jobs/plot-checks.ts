import { withService } from '@quire/db/session';
import { completeChecksRun, failChecksRun, startChecksRun } from '@quire/db/structure';
import { defineJob } from '../job';

/**
 * Works through one run of the structure checks an owner or editor asked for on the Plot tab. The run's row was
 * written as that writer, under RLS, when they asked (that is where the permission is decided); the job runs as the
 * service only to record the findings on that row. It marks the run running in one transaction and records the cards
 * and completes it in the next, so the Plot tab (which follows plot_analyses live) shows the run under way. A retry
 * starts the run over; the last failed attempt marks it failed so the screen stops waiting.
 */
export const plotChecks = defineJob({
  name: 'plot-checks',
  retry: { limit: 2, delaySeconds: 2, backoff: true },
  expireInSeconds: 5 * 60,
  concurrency: 2,
  async handler(data, { pool, logger, final }) {
    try {
      const run = await withService(pool, (tx) => startChecksRun(tx, data.analysisId));
      if (!run) {
        logger.info({ analysis: data.analysisId }, 'plot checks: run already finished or gone');
        return { skipped: true };
      }
      const done = await withService(pool, (tx) => completeChecksRun(tx, data.analysisId, run.projectId));
      logger.debug({ analysis: data.analysisId, issues: done.issues }, 'plot checks recorded');
      return done;
    } catch (error) {
      if (final) await withService(pool, (tx) => failChecksRun(tx, data.analysisId, String((error as Error)?.message ?? error))).catch(() => {});
      throw error;
    }
  },
});
