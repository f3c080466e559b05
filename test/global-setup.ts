import type { TestProject } from 'vitest/node';
import { startTestServer } from '@quire/db/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance URL of the run's Postgres; createTestDatabase(adminUrl) gives each file its own migrated copy. */
    adminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  project.provide('adminUrl', server.adminUrl);
  return async () => {
    await server.stop();
  };
}
