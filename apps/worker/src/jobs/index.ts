import type { AnyJobDefinition } from '../job';
import { aiUsageReset } from './ai-usage-reset';
import { bibleMentions } from './bible-mentions';
import { billingGraceExpiry } from './billing-grace-expiry';
import { exportRun } from './export-run';
import { exportsSweep } from './exports-sweep';
import { importRun } from './import-run';
import { plotChecks } from './plot-checks';
import { storageGarbage } from './storage-garbage';
import { stripeEvent } from './stripe-event';
import { workerCanary } from './worker-canary';

/**
 * Every job this worker runs: one file per job in this folder (see docs/architecture.md, "Jobs"), one line here.
 * The name and payload schema of each live in packages/domain/src/jobs.ts.
 */
export const JOBS: AnyJobDefinition[] = [
  workerCanary,
  bibleMentions,
  exportRun,
  importRun,
  exportsSweep,
  stripeEvent,
  aiUsageReset,
  billingGraceExpiry,
  plotChecks,
  storageGarbage,
];
