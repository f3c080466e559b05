import type { AnyJobDefinition } from '../job';
import { bibleMentions } from './bible-mentions';
import { exportRun } from './export-run';
import { exportsSweep } from './exports-sweep';
import { importRun } from './import-run';
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
];
