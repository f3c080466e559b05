import { flatten, type TreeItem } from './tree';

/** How far (in percentage points of the manuscript) a beat may land from its template's ideal before it is flagged. */
export const BEAT_DRIFT_TOLERANCE = 10;

export interface ManuscriptDocument {
  id: string;
  parentId: string | null;
  /** documents.position; the manuscript is read in tree order */
  position: number;
  wordCount: number;
}

export interface ManuscriptMap {
  totalWords: number;
  /** words before each document's own text starts, in reading order */
  startOf: Map<string, number>;
}

/** Reads the manuscript as the writer does: parts, then their chapters, then their scenes, each by position. */
export function mapManuscript(documents: readonly ManuscriptDocument[]): ManuscriptMap {
  // documents use integer positions; zero-padding turns them into keys the tree helpers order the same way
  const items: Array<TreeItem & { words: number }> = documents.map((d) => ({
    id: d.id,
    parentId: d.parentId,
    rank: String(d.position).padStart(10, '0'),
    words: Math.max(0, d.wordCount),
  }));
  const startOf = new Map<string, number>();
  let words = 0;
  for (const item of flatten(items)) {
    startOf.set(item.id, words);
    words += item.words;
  }
  return { totalWords: words, startOf };
}

export interface BeatPlacementInput {
  /** the document the beat points at directly, or through its outline section */
  documentId: string | null;
  idealPercent: number | null;
}

export interface BeatPlacement {
  /** where the linked text starts, as a percentage of all words (one decimal), or null when it cannot be placed */
  percent: number | null;
  /** percent minus the ideal, or null */
  drift: number | null;
  farOff: boolean;
}

/** Where a beat lands: the start of its linked text as a share of the whole manuscript. */
export function placeBeat(map: ManuscriptMap, beat: BeatPlacementInput): BeatPlacement {
  const start = beat.documentId ? map.startOf.get(beat.documentId) : undefined;
  if (start === undefined || map.totalWords === 0) return { percent: null, drift: null, farOff: false };
  const percent = Math.round((start / map.totalWords) * 1000) / 10;
  if (beat.idealPercent === null) return { percent, drift: null, farOff: false };
  const drift = Math.round((percent - beat.idealPercent) * 10) / 10;
  return { percent, drift, farOff: Math.abs(drift) > BEAT_DRIFT_TOLERANCE };
}

/** The document a section stands for: its own link, else the first linked section below it in reading order. */
export function sectionDocument<T extends TreeItem & { documentId: string | null }>(sections: readonly T[], sectionId: string): string | null {
  const own = sections.find((s) => s.id === sectionId);
  if (!own) return null;
  if (own.documentId) return own.documentId;
  const order = flatten(sections);
  const start = order.findIndex((s) => s.id === sectionId);
  const depth = order[start]!.depth;
  for (let i = start + 1; i < order.length && order[i]!.depth > depth; i++) {
    if (order[i]!.documentId) return order[i]!.documentId;
  }
  return null;
}
