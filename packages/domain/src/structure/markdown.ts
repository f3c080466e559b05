import { flatten, type TreeItem } from './tree';
import { SECTION_KIND_LABELS, SECTION_STATUS_LABELS, type SectionKind, type SectionStatus } from './schemas';

export interface ExportSection extends TreeItem {
  kind: SectionKind;
  title: string;
  summary: string;
  status: SectionStatus;
  targetWordCount: number | null;
  documentTitle: string | null;
  documentWords: number | null;
}

/** Markdown has six heading levels; deeper sections become nested list items so nothing is flattened away. */
export function outlineToMarkdown(outline: { title: string; summary: string }, sections: readonly ExportSection[]): string {
  const lines: string[] = [`# ${oneLine(outline.title)}`, ''];
  if (outline.summary.trim()) lines.push(outline.summary.trim(), '');
  for (const section of flatten(sections)) {
    const facts = [SECTION_KIND_LABELS[section.kind], SECTION_STATUS_LABELS[section.status]];
    if (section.targetWordCount !== null) {
      facts.push(section.documentWords !== null ? `${section.documentWords} / ${section.targetWordCount} words` : `target ${section.targetWordCount} words`);
    } else if (section.documentWords !== null) facts.push(`${section.documentWords} words`);
    if (section.documentTitle) facts.push(`text: ${oneLine(section.documentTitle)}`);
    if (section.depth <= 5) {
      lines.push(`${'#'.repeat(section.depth + 1)} ${oneLine(section.title)}`, '', `_${facts.join(' · ')}_`, '');
      if (section.summary.trim()) lines.push(section.summary.trim(), '');
    } else {
      const indent = '  '.repeat(section.depth - 6);
      lines.push(`${indent}- **${oneLine(section.title)}** (${facts.join(' · ')})${section.summary.trim() ? ` — ${oneLine(section.summary)}` : ''}`);
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
