/** The manuscript facts the boards read live in @quire/db/structure, shared with the worker's plot-checks job. */
export { beatDocument, placeLinkedBeat, readManuscript, type ManuscriptFacts } from '@quire/db/structure';
