import type { ImportProblem } from './errors';
import { blockText, mergeSpans, type Block, type Manuscript, type Mark, type Span } from './model';

/**
 * Fountain (fountain.io, spec 1.1). The writer forces an element ("!", "@", ".", ">") wherever the plain text
 * would parse as something else, so every Quire element comes back as itself. The reader follows the spec's
 * rules; what it cannot keep (notes, boneyard, sections, synopses, lyrics, dual dialogue, page breaks) is
 * reported with its line, never fatal.
 */
const SCENE_START = /^(?:INT|EXT|EST|INT\.?\/EXT|I\/E)[. ]/i;
const TRANSITION_END = /^[A-Z0-9 .,'’:-]*TO:$/;
const ALL_CAPS = (line: string) => /[A-Z]/.test(line) && !/[a-z]/.test(line.replace(/\(.*\)\s*$/, ''));

function escapeEmphasis(text: string): string {
  return text.replace(/([\\*_])/g, '\\$1');
}

function spanFountain(span: Span): string {
  const marks = span.marks ?? [];
  const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(span.text) ?? [];
  if (!core) return span.text;
  let out = escapeEmphasis(core);
  if (marks.includes('underline')) out = `_${out}_`;
  const stars = (marks.includes('bold') ? 2 : 0) + (marks.includes('italic') ? 1 : 0);
  if (stars) out = '*'.repeat(stars) + out + '*'.repeat(stars);
  return lead + out + trail;
}

const inline = (block: Block) => block.spans.map(spanFountain).join('');

function forcedAction(text: string): string {
  const first = text.split('\n')[0] ?? '';
  const risky =
    SCENE_START.test(first) ||
    /^[!@.>~=#[/]/.test(first) ||
    (ALL_CAPS(first) && (text.includes('\n') || TRANSITION_END.test(first))) ||
    /^\s*$/.test(first);
  return (risky ? '!' : '') + text;
}

export interface FountainOptions {
  sceneNumbers?: boolean;
}

export function writeFountain(manuscript: Manuscript, options: FountainOptions = {}): string {
  const { meta } = manuscript;
  const out: string[] = [];
  const title = [`Title: ${meta.title}`];
  if (meta.author) title.push('Credit: Written by', `Author: ${meta.author}`);
  out.push(title.join('\n'));
  const sections = manuscript.chapters.length > 1;
  let scene = 0;
  for (const chapter of manuscript.chapters) {
    if (sections) out.push(`# ${chapter.title}`);
    let dialogue = false;
    chapter.blocks.forEach((block) => {
      const text = inline(block);
      switch (block.type) {
        case 'sceneHeading': {
          scene++;
          const plain = blockText(block);
          const heading = SCENE_START.test(plain) && !plain.includes('\n') ? text.toUpperCase() : `.${text}`;
          out.push(options.sceneNumbers ? `${heading} #${scene}#` : heading);
          dialogue = false;
          return;
        }
        case 'character': {
          const plain = blockText(block);
          out.push(ALL_CAPS(plain) && !SCENE_START.test(plain) && !TRANSITION_END.test(plain) ? text : `@${text}`);
          dialogue = true;
          return;
        }
        case 'parenthetical':
        case 'dialogue':
          if (dialogue) {
            const line = block.type === 'parenthetical' && !/^\(.*\)$/s.test(blockText(block)) ? `(${text})` : text;
            out[out.length - 1] += '\n' + line.split('\n').map((l) => l || '  ').join('\n');
            return;
          }
          out.push(forcedAction(text));
          return;
        case 'transition': {
          const plain = blockText(block);
          out.push(TRANSITION_END.test(plain) ? text : `> ${text}`);
          dialogue = false;
          return;
        }
        case 'sceneBreak':
          out.push('===');
          dialogue = false;
          return;
        case 'heading':
          out.push(`## ${blockText(block)}`);
          dialogue = false;
          return;
        default:
          // action, shot and prose paragraphs are Fountain action
          out.push(forcedAction(block.type === 'shot' ? text.toUpperCase() : text));
          dialogue = false;
      }
    });
  }
  return out.join('\n\n') + '\n';
}

// ---------------------------------------------------------------- reading

/** Emphasis as spans: ***bold italic***, **bold**, *italic*, _underline_, with "\" escaping. */
export function parseEmphasis(text: string, marks: Mark[] = []): Span[] {
  const spans: Span[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && /[\\*_]/.test(text[i + 1]!)) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '*' || ch === '_') {
      const run = ch === '_' ? '_' : text.startsWith('***', i) ? '***' : text.startsWith('**', i) ? '**' : '*';
      const close = findCloser(text, run, i + run.length);
      if (close > i + run.length && !/\s/.test(text[i + run.length]!)) {
        if (plain) spans.push({ text: plain, marks: [...marks] });
        plain = '';
        const added: Mark[] = run === '_' ? ['underline'] : run === '***' ? ['bold', 'italic'] : run === '**' ? ['bold'] : ['italic'];
        spans.push(...parseEmphasis(text.slice(i + run.length, close), [...marks, ...added.filter((m) => !marks.includes(m))]));
        i = close + run.length;
        continue;
      }
    }
    plain += ch;
    i++;
  }
  if (plain) spans.push({ text: plain, marks: [...marks] });
  return mergeSpans(spans);
}

function findCloser(text: string, run: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text.startsWith(run, j) && !/\s/.test(text[j - 1] ?? ' ') && (run === '_' || text[j + run.length] !== '*')) return j;
    if (text[j] === '\n') return -1;
  }
  return -1;
}

export interface FountainReadResult {
  blocks: Block[];
  title?: string;
  author?: string;
  problems: ImportProblem[];
}

function stripNotesAndBoneyard(source: string, problems: ImportProblem[]): string {
  const lineAt = (index: number) => source.slice(0, index).split('\n').length;
  let text = source.replace(/\/\*[\s\S]*?\*\//g, (m, index: number) => {
    problems.push({ severity: 'warning', message: 'boneyard (/* … */) text was left out', line: lineAt(index) });
    return m.replace(/[^\n]/g, '');
  });
  text = text.replace(/\[\[[\s\S]*?\]\]/g, (_m, index: number) => {
    problems.push({ severity: 'warning', message: 'a note ([[ … ]]) was left out', line: lineAt(index) });
    return '';
  });
  if (text.includes('/*')) problems.push({ severity: 'warning', message: 'an unclosed boneyard "/*" was kept as text', line: lineAt(text.indexOf('/*')) });
  if (text.includes('[[')) problems.push({ severity: 'warning', message: 'an unclosed note "[[" was kept as text', line: lineAt(text.indexOf('[[')) });
  return text;
}

export function readFountain(source: string): FountainReadResult {
  const problems: ImportProblem[] = [];
  const lines = stripNotesAndBoneyard(source.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'), problems).split('\n');
  const blocks: Block[] = [];
  let title: string | undefined;
  let author: string | undefined;
  let i = 0;
  // title page: "Key: value" lines (values may continue on indented lines) up to the first blank line
  if (/^[A-Za-z][A-Za-z ]*:/.test(lines[0] ?? '')) {
    let key = '';
    for (; i < lines.length && lines[i]!.trim(); i++) {
      const kv = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(lines[i]!);
      if (kv) key = kv[1]!.toLowerCase();
      const value = (kv ? kv[2]! : lines[i]!).trim();
      if (key === 'title' && value) title = title ? `${title} ${value}` : value;
      if ((key === 'author' || key === 'authors') && value) author = author ? `${author}, ${value}` : value;
    }
  }
  const blank = (n: number) => n < 0 || n >= lines.length || !lines[n]!.trim();
  const push = (type: Block['type'], text: string) => blocks.push({ type, spans: parseEmphasis(text) });
  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    const lineNo = i + 1;
    if (!line) continue;
    const before = blank(i - 1);
    const after = blank(i + 1);
    if (/^={3,}$/.test(line)) {
      blocks.push({ type: 'sceneBreak', spans: [] });
      continue;
    }
    if (line.startsWith('#')) {
      const heading = line.replace(/^#+\s*/, '');
      if (/^##/.test(line)) blocks.push({ type: 'heading', level: 2, spans: [{ text: heading }] });
      else problems.push({ severity: 'warning', message: `section "${heading}" was left out (sections are outline only)`, line: lineNo });
      continue;
    }
    if (/^=(?!=)/.test(line)) {
      problems.push({ severity: 'warning', message: 'a synopsis ("= …") was left out', line: lineNo });
      continue;
    }
    if (line.startsWith('~')) {
      problems.push({ severity: 'warning', message: 'lyrics ("~") were kept as action', line: lineNo });
      push('action', line.slice(1).trim());
      continue;
    }
    if (/^>.*<$/.test(line)) {
      problems.push({ severity: 'warning', message: 'centred text ("> … <") was kept as action', line: lineNo });
      push('action', line.slice(1, -1).trim());
      continue;
    }
    if (before && ((line.startsWith('.') && !line.startsWith('..')) || SCENE_START.test(line))) {
      const heading = line.replace(/^\./, '').replace(/\s*#[\w.-]+#\s*$/, '');
      push('sceneHeading', heading);
      continue;
    }
    if (line.startsWith('>')) {
      push('transition', line.slice(1).trim());
      continue;
    }
    if (before && after && TRANSITION_END.test(line)) {
      push('transition', line);
      continue;
    }
    const forcedCharacter = line.startsWith('@');
    if (before && !after && (forcedCharacter || (ALL_CAPS(line) && !line.startsWith('!')))) {
      let cue = forcedCharacter ? line.slice(1).trim() : line;
      if (cue.endsWith('^')) {
        problems.push({ severity: 'warning', message: 'dual dialogue ("^") was kept as dialogue one after the other', line: lineNo });
        cue = cue.slice(0, -1).trim();
      }
      push('character', cue);
      let dialogue: string[] = [];
      const flush = () => {
        if (dialogue.length) push('dialogue', dialogue.join('\n'));
        dialogue = [];
      };
      for (i++; i < lines.length && lines[i] !== ''; i++) {
        const text = lines[i]!.trim();
        if (/^\(.*\)$/.test(text)) {
          flush();
          push('parenthetical', text);
        } else dialogue.push(lines[i] === '  ' ? '' : text);
      }
      flush();
      continue;
    }
    // action: this line and the ones that follow it without a blank line, with their line breaks
    const action = [line.startsWith('!') ? raw.trimEnd().slice(raw.indexOf('!') + 1) : raw.trimEnd()];
    while (i + 1 < lines.length && lines[i + 1]!.trim()) action.push(lines[++i]!.trimEnd());
    push('action', action.join('\n'));
  }
  return { blocks, title, author, problems };
}
