import {
  mapManuscript,
  placeBeat,
  runChecks,
  sectionDocument,
  type BeatPlacement,
  type ManuscriptMap,
} from '@quire/domain/structure';
import type { Tx } from './session';

/**
 * The structure studio's reads that both the web app (beat board, the Plot tab) and the worker's `plot-checks` job
 * need: the manuscript in reading order with its word counts and outline links, and one run of the deterministic
 * checks recorded on its plot_analyses row. Every function takes the caller's transaction, so the caller's role
 * (withUser, or withService in a job that says why) decides what it may read and write.
 */

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

export function placeLinkedBeat(
  facts: ManuscriptFacts,
  beat: { documentId: string | null; outlineSectionId: string | null; idealPercent: number | null },
): BeatPlacement & { textDocumentId: string | null } {
  const textDocumentId = beatDocument(facts, beat);
  return { ...placeBeat(facts.map, { documentId: textDocumentId, idealPercent: beat.idealPercent }), textDocumentId };
}

/**
 * Marks a queued run of the checks as running; false when it is not queued (already taken, finished, or gone).
 * Its own transaction, so the Plot tab shows the run under way while the checks work.
 */
export async function startChecksRun(tx: Tx, analysisId: string): Promise<{ projectId: string } | null> {
  const { rows } = await tx.query(
    `update public.plot_analyses set status = 'running', started_at = now()
      where id = $1 and source = 'checks' and status in ('queued', 'running') returning project_id`,
    [analysisId],
  );
  return rows[0] ? { projectId: rows[0].project_id } : null;
}

/** Runs the checks over the project and records the findings as the run's issue cards, then completes the run. */
export async function completeChecksRun(tx: Tx, analysisId: string, projectId: string): Promise<{ issues: number }> {
  // a retried attempt starts over rather than adding a second copy of each card
  await tx.query('delete from public.plot_issues where analysis_id = $1', [analysisId]);
  const facts = await readManuscript(tx, projectId);
  const beats = await tx.query('select id, name, document_id, outline_section_id, percent from public.story_beats where project_id = $1', [projectId]);
  const wordsOf = new Map(facts.documents.map((d) => [d.id, d.wordCount]));
  const findings = runChecks({
    beats: beats.rows.map((b) => {
      const idealPercent = b.percent === null ? null : Number(b.percent);
      const placement = placeLinkedBeat(facts, { documentId: b.document_id, outlineSectionId: b.outline_section_id, idealPercent });
      return { id: b.id, name: b.name, documentId: placement.textDocumentId, idealPercent, placement };
    }),
    sections: facts.sections.map((s) => ({
      id: s.id,
      title: s.title,
      documentId: s.documentId,
      documentWords: s.documentId ? (wordsOf.get(s.documentId) ?? null) : null,
      targetWordCount: s.targetWordCount,
    })),
    chapters: facts.documents.filter((d) => d.kind === 'chapter').map((d) => ({ id: d.id, title: d.title, wordCount: d.wordCount })),
  });
  for (const f of findings) {
    await tx.query(
      `insert into public.plot_issues (analysis_id, project_id, severity, category, title, description, rule, document_id, outline_section_id, beat_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [analysisId, projectId, f.severity, f.category, f.title, f.description, f.rule, f.documentId, f.outlineSectionId, f.beatId],
    );
  }
  const summary = findings.length ? `${findings.length} issue${findings.length === 1 ? '' : 's'} found by the structure checks.` : 'The structure checks found nothing to flag.';
  await tx.query(`update public.plot_analyses set status = 'completed', completed_at = now(), summary = $2, error = null where id = $1`, [analysisId, summary]);
  return { issues: findings.length };
}

/** A run that could not finish says so on the board instead of staying "running" for ever. */
export async function failChecksRun(tx: Tx, analysisId: string, message: string): Promise<void> {
  await tx.query(
    `update public.plot_analyses set status = 'failed', completed_at = now(), error = $2,
            summary = 'The structure checks could not finish. Run them again.' where id = $1 and status <> 'completed'`,
    [analysisId, message.slice(0, 2000)],
  );
}
