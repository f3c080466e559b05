import type { IssueCategory, IssueSeverity } from './schemas';
import { BEAT_DRIFT_TOLERANCE, type BeatPlacement } from './positions';

/**
 * The checks that need no model. Each finding becomes an issue card of a plot_analyses run; `rule` names the check so
 * a card can be traced back to it (and so the database can hold it to the list).
 */
export type CheckRule =
  | 'beat_unlinked'
  | 'section_empty'
  | 'section_over_target'
  | 'section_under_target'
  | 'chapter_long'
  | 'chapter_short'
  | 'beat_drift';

export interface Finding {
  rule: CheckRule;
  severity: IssueSeverity;
  category: IssueCategory;
  title: string;
  description: string;
  documentId: string | null;
  outlineSectionId: string | null;
  beatId: string | null;
}

export interface CheckInput {
  beats: Array<{ id: string; name: string; documentId: string | null; idealPercent: number | null; placement: BeatPlacement }>;
  sections: Array<{ id: string; title: string; documentId: string | null; documentWords: number | null; targetWordCount: number | null }>;
  chapters: Array<{ id: string; title: string; wordCount: number }>;
}

/** A linked text this far over or under its target is flagged. */
export const TARGET_OVER = 1.5;
export const TARGET_UNDER = 0.5;
/** A chapter this many times longer (or this fraction) of the project's median is flagged; needs three chapters. */
export const CHAPTER_LONG = 2;
export const CHAPTER_SHORT = 0.5;
export const MIN_CHAPTERS_FOR_MEDIAN = 3;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const words = (n: number) => `${n.toLocaleString('en-US')} word${n === 1 ? '' : 's'}`;

export function runChecks(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const none = { documentId: null, outlineSectionId: null, beatId: null };

  for (const beat of input.beats) {
    if (!beat.documentId) {
      findings.push({
        ...none,
        rule: 'beat_unlinked',
        severity: 'medium',
        category: 'structure',
        title: `“${beat.name}” has no text yet`,
        description: 'This beat is not linked to a chapter, a scene or an outline section with text. Link it, or write the scene that delivers it.',
        beatId: beat.id,
      });
    } else if (beat.placement.farOff && beat.placement.drift !== null && beat.idealPercent !== null) {
      const p = beat.placement;
      findings.push({
        ...none,
        rule: 'beat_drift',
        severity: Math.abs(p.drift!) > 2 * BEAT_DRIFT_TOLERANCE ? 'high' : 'medium',
        category: 'pacing',
        title: `“${beat.name}” lands at ${p.percent}% instead of about ${beat.idealPercent}%`,
        description: `The beat's text starts ${Math.abs(p.drift!)} points ${p.drift! > 0 ? 'later' : 'earlier'} than the structure suggests.`,
        documentId: beat.documentId,
        beatId: beat.id,
      });
    }
  }

  for (const section of input.sections) {
    if (!section.documentId || section.documentWords === null) continue;
    const base = { ...none, category: 'pacing' as const, documentId: section.documentId, outlineSectionId: section.id };
    if (section.documentWords === 0) {
      findings.push({ ...base, rule: 'section_empty', severity: 'medium', title: `“${section.title}” is linked to an empty document`, description: 'The outline plans this section but its document has no words yet.' });
    } else if (section.targetWordCount !== null && section.documentWords > section.targetWordCount * TARGET_OVER) {
      findings.push({ ...base, rule: 'section_over_target', severity: 'low', title: `“${section.title}” is far over its target`, description: `${words(section.documentWords)} against a target of ${words(section.targetWordCount)}.` });
    } else if (section.targetWordCount !== null && section.documentWords < section.targetWordCount * TARGET_UNDER) {
      findings.push({ ...base, rule: 'section_under_target', severity: 'low', title: `“${section.title}” is far under its target`, description: `${words(section.documentWords)} against a target of ${words(section.targetWordCount)}.` });
    }
  }

  const written = input.chapters.filter((c) => c.wordCount > 0);
  if (written.length >= MIN_CHAPTERS_FOR_MEDIAN) {
    const mid = median(written.map((c) => c.wordCount));
    for (const chapter of written) {
      const base = { ...none, category: 'pacing' as const, documentId: chapter.id };
      if (chapter.wordCount > mid * CHAPTER_LONG) {
        findings.push({ ...base, rule: 'chapter_long', severity: 'low', title: `“${chapter.title}” is much longer than the others`, description: `${words(chapter.wordCount)}; the median chapter has ${words(mid)}.` });
      } else if (chapter.wordCount < mid * CHAPTER_SHORT) {
        findings.push({ ...base, rule: 'chapter_short', severity: 'low', title: `“${chapter.title}” is much shorter than the others`, description: `${words(chapter.wordCount)}; the median chapter has ${words(mid)}.` });
      }
    }
  }
  return findings;
}
