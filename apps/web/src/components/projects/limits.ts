import { documentTitle } from '@quire/domain/schemas/documents';
import { projectTitle } from '@quire/domain/schemas/projects';

/** The title limit the server enforces, read from its schemas so the counter and the refusal agree. */
export const TITLE_LIMIT = Math.min(projectTitle.maxLength ?? 200, documentTitle.maxLength ?? 200);
