import { z } from 'zod';

/**
 * Every background job's name and payload, shared by whoever enqueues it (web, scripts, tests: `enqueueJob` in
 * @quire/db/jobs) and the worker that runs it (apps/worker/src/jobs/<name>.ts). A payload carries ids, never
 * manuscript text, tokens or secrets: it is stored in the queue's table and shown in logs.
 *
 * Adding a job: one entry here, one file in apps/worker/src/jobs, one line in apps/worker/src/jobs/index.ts.
 * Names are lowercase words joined by hyphens (they are pg-boss queue names and file names).
 */

export const JOB_PAYLOADS = {
  /** Proves the queue end to end (ops and tests): succeeds, or fails its first `failAttempts` attempts. */
  'worker-canary': z.object({
    note: z.string().max(200).default(''),
    failAttempts: z.number().int().min(0).max(10).default(0),
  }),
  /** Applies one recorded Stripe event (subscription_events row) to the owner's plan. */
  'stripe-event': z.object({ eventId: z.string().min(1).max(255) }),
  /** Starts a new AI-words month for every owner whose month has turned; `asOf` pins the clock (tests, late runs). */
  'ai-usage-reset': z.object({ asOf: z.iso.datetime({ offset: true }).optional() }),
  /** Moves owners whose payment has been failing past the grace period to the free plan. */
  'billing-grace-expiry': z.object({ asOf: z.iso.datetime({ offset: true }).optional() }),
  /** Recomputes the stored mentions of characters and locations: one document after a store, or a whole project. */
  'bible-mentions': z.union([
    z.object({ documentId: z.uuid() }).strict(),
    z.object({ projectId: z.uuid() }).strict(),
  ]),
  /** Writes one export_jobs row's file and stores it (apps/worker/src/jobs/export-run.ts). */
  'export-run': z.object({ exportId: z.uuid() }),
  /** Reads one import_jobs row's upload into documents (apps/worker/src/jobs/import-run.ts). */
  'import-run': z.object({ importId: z.uuid() }),
  /** Resumes exports and imports whose worker died; deletes export files past their plan's keep-until date. */
  'exports-sweep': z.object({ staleSeconds: z.number().int().min(1).max(3600).default(60) }),
  /** Runs the structure checks that need no model for one queued plot_analyses run (source 'checks'). */
  'plot-checks': z.object({ analysisId: z.uuid() }).strict(),
  /** Removes the pictures deleted characters and locations left behind (private.storage_garbage), rows and bytes. */
  'storage-garbage': z.object({}).strict(),
} as const satisfies Record<string, z.ZodType>;

export type JobName = keyof typeof JOB_PAYLOADS;
export type JobPayload<N extends JobName> = z.input<(typeof JOB_PAYLOADS)[N]>;
export type JobData<N extends JobName> = z.output<(typeof JOB_PAYLOADS)[N]>;

export const JOB_NAMES = Object.keys(JOB_PAYLOADS) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_PAYLOADS, name);
}

/** Validates a payload for `name`; throws a ZodError naming the bad field. */
export function parseJobPayload<N extends JobName>(name: N, payload: unknown): JobData<N> {
  return JOB_PAYLOADS[name].parse(payload) as JobData<N>;
}

