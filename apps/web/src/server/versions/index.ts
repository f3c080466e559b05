// A document's history: the queries, and one file per command. Routes and tests import from here.
export { getVersion, listVersions } from './queries';
export { saveVersion } from './saveVersion';
