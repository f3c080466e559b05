import type { Tx } from '@quire/db/session';
import { mapManuscript, placeBeat, sectionDocument, type BeatPlacement, type ManuscriptMap } from '@quire/domain/structure';

/** What the beat board and the checks need to know about the text: reading order, word counts, section links. */
export interface ManuscriptFacts {
  map: ManuscriptMap;
  documents: Array<{ id: string; parentId: string | null; kind: string; title: string; position: number; wordCount: number }>;
  sections: Array<{ id: string; parentId: string | null; rank: string; outlineId: string; title: string; documentId: string | null; targetWordCount: number | null }>;
}

export async function readManuscript(tx: Tx, projectId: string): Promise<ManuscriptFacts> {
  const docs = await tx.query(
    `select id, parent_id, kind, title, position, word_count from public.documents where project_id = $1 order by position, created_at, id`,
    [projectId],
  );
  const sections = await tx.query(
    `select id, parent_id, rank, outline_id, title, document_id, target_word_count from public.outline_sections where project_id = $1`,
    [projectId],
  );
  const documents = docs.rows.map((d) => ({ id: d.id, parentId: d.parent_id, kind: d.kind, title: d.title, position: d.position, wordCount: d.word_count }));
  return {
    // notes pages are the writer's, not the reader's: they take no room in the manuscript
    map: mapManuscript(documents.filter((d) => d.kind !== 'notes')),
    documents,
    sections: sections.rows.map((s) => ({
      id: s.id,
      parentId: s.parent_id,
      rank: s.rank,
      outlineId: s.outline_id,
      title: s.title,
      documentId: s.document_id,
      targetWordCount: s.target_word_count,
    })),
  };
}

/** The text a beat stands on: its own document link, else its outline section's. */
export function beatDocument(facts: ManuscriptFacts, beat: { documentId: string | null; outlineSectionId: string | null }): string | null {
  if (beat.documentId) return beat.documentId;
  if (!beat.outlineSectionId) return null;
  const section = facts.sections.find((s) => s.id === beat.outlineSectionId);
  if (!section) return null;
  return sectionDocument(facts.sections.filter((s) => s.outlineId === section.outlineId), section.id);
}

export function placeLinkedBeat(facts: ManuscriptFacts, beat: { documentId: string | null; outlineSectionId: string | null; idealPercent: number | null }): BeatPlacement & { textDocumentId: string | null } {
  const textDocumentId = beatDocument(facts, beat);
  return { ...placeBeat(facts.map, { documentId: textDocumentId, idealPercent: beat.idealPercent }), textDocumentId };
}
