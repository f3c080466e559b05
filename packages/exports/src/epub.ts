import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { ExportOptions } from './export';
import { escapeXml } from './fdx';
import type { Block, Chapter, Manuscript, Span } from './model';

/**
 * EPUB 3.3: a package document with Dublin Core metadata (title, creator, language, identifier, modified), a
 * navigation document, one XHTML file per chapter, a small stylesheet, and the cover image when there is one.
 * The mimetype entry comes first and is stored, as the container format requires. Checked with epubcheck.
 */
const CSS = `body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1 { text-align: center; margin: 3em 0 2em; font-weight: normal; }
h2, h3, h4, h5, h6 { text-align: center; font-weight: normal; font-style: italic; }
p { margin: 0; text-indent: 1.5em; text-align: justify; }
h1 + p, h2 + p, h3 + p, hr + p, p.first { text-indent: 0; }
hr.scene-break { border: none; margin: 1em 0; text-align: center; }
hr.scene-break::after { content: "* * *"; }
blockquote { margin: 1em 2em; }
blockquote p { text-indent: 0; }
pre { font-family: monospace; white-space: pre-wrap; }
.screenplay p { text-indent: 0; font-family: "Courier Prime", Courier, monospace; text-align: left; margin-top: 1em; }
.screenplay p.character { margin: 1em 0 0 40%; }
.screenplay p.parenthetical { margin: 0 0 0 30%; }
.screenplay p.dialogue { margin: 0 20% 0 20%; }
.screenplay p.transition { text-align: right; }
.screenplay p.scene-heading, .screenplay p.shot, .screenplay p.character, .screenplay p.transition { text-transform: uppercase; }
.title-page { text-align: center; margin-top: 30%; }
.title-page p { text-indent: 0; text-align: center; }
.cover { text-align: center; margin: 0; }
.cover img { max-width: 100%; max-height: 100%; }
`;

const TAGS: [string, string, string][] = [
  ['bold', '<strong>', '</strong>'],
  ['italic', '<em>', '</em>'],
  ['underline', '<u>', '</u>'],
  ['strike', '<s>', '</s>'],
  ['code', '<code>', '</code>'],
];

function inline(spans: Span[]): string {
  return spans
    .map((span) => {
      let html = escapeXml(span.text).replace(/\n/g, '<br/>');
      for (const [mark, open, close] of TAGS) if (span.marks?.includes(mark as never)) html = open + html + close;
      if (span.href && /^(https?:|mailto:)/i.test(span.href)) html = `<a href="${escapeXml(span.href)}">${html}</a>`;
      return html;
    })
    .join('');
}

const KEBAB = (type: string) => type.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function chapterBody(chapter: Chapter): string {
  const out: string[] = [];
  const lists: { tag: string; depth: number }[] = [];
  let quote = false;
  const closeLists = (depth: number) => {
    while (lists.length && lists[lists.length - 1]!.depth >= depth) out.push(`</li></${lists.pop()!.tag}>`);
  };
  for (const block of chapter.blocks) {
    const list = block.type === 'bulletItem' ? 'ul' : block.type === 'orderedItem' ? 'ol' : undefined;
    if (!list) closeLists(0);
    if (quote && block.type !== 'blockquote') {
      out.push('</blockquote>');
      quote = false;
    }
    if (list) {
      const depth = block.depth ?? 0;
      const top = lists[lists.length - 1];
      if (top && top.depth > depth) closeLists(depth + 1);
      const current = lists[lists.length - 1];
      if (current && current.depth === depth && current.tag === list) out.push(`</li><li>${inline(block.spans)}`);
      else {
        if (current && current.depth === depth) closeLists(depth);
        lists.push({ tag: list, depth });
        out.push(`<${list}><li>${inline(block.spans)}`);
      }
      continue;
    }
    out.push(blockHtml(block, () => {
      const opening = !quote;
      quote = true;
      return opening;
    }));
  }
  closeLists(0);
  if (quote) out.push('</blockquote>');
  return out.join('\n');
}

function blockHtml(block: Block, openQuote: () => boolean): string {
  switch (block.type) {
    case 'sceneBreak':
      return '<hr class="scene-break"/>';
    case 'heading': {
      const level = Math.min(6, Math.max(2, (block.level ?? 1) + 1));
      return `<h${level}>${inline(block.spans)}</h${level}>`;
    }
    case 'blockquote':
      return `${openQuote() ? '<blockquote>' : ''}<p>${inline(block.spans)}</p>`;
    case 'codeBlock':
      return `<pre>${escapeXml(block.spans.map((s) => s.text).join(''))}</pre>`;
    case 'paragraph':
      return `<p>${inline(block.spans)}</p>`;
    default:
      return `<p class="${KEBAB(block.type)}">${inline(block.spans)}</p>`;
  }
}

function xhtml(title: string, language: string, body: string, bodyClass = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${escapeXml(language)}" xml:lang="${escapeXml(language)}">
<head>
<meta charset="UTF-8"/>
<title>${escapeXml(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body${bodyClass ? ` class="${bodyClass}"` : ''}>
${body}
</body>
</html>
`;
}

/** A stable urn:uuid from the title and author, for manuscripts without an identifier. */
export function derivedIdentifier(manuscript: Manuscript): string {
  const hex = createHash('sha1').update(`${manuscript.meta.title}\u0000${manuscript.meta.author ?? ''}`).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function writeEpub(manuscript: Manuscript, options: ExportOptions = {}): Uint8Array {
  const { meta } = manuscript;
  const language = meta.language || 'en';
  const identifier = meta.identifier || derivedIdentifier(manuscript);
  const modified = (options.date ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  const files: Zippable = {};
  const manifest: string[] = [];
  const spine: string[] = [];
  const add = (id: string, href: string, type: string, content: string | Uint8Array, props?: string, linear = true) => {
    files[`OEBPS/${href}`] = typeof content === 'string' ? strToU8(content) : [content, { level: 0 }];
    manifest.push(`<item id="${id}" href="${href}" media-type="${type}"${props ? ` properties="${props}"` : ''}/>`);
    if (type === 'application/xhtml+xml' && id !== 'nav') spine.push(`<itemref idref="${id}"${linear ? '' : ' linear="no"'}/>`);
  };
  add('css', 'style.css', 'text/css', CSS);
  if (meta.cover) {
    const ext = meta.cover.mimeType === 'image/png' ? 'png' : 'jpg';
    add('cover-image', `cover.${ext}`, meta.cover.mimeType, meta.cover.bytes, 'cover-image');
    add('cover', 'cover.xhtml', 'application/xhtml+xml', xhtml(meta.title, language, `<section class="cover" epub:type="cover"><img src="cover.${ext}" alt="${escapeXml(`Cover of ${meta.title}`)}"/></section>`));
  }
  const titleBody = `<section class="title-page" epub:type="titlepage"><h1>${escapeXml(meta.title)}</h1>${meta.author ? `<p>${escapeXml(meta.author)}</p>` : ''}</section>`;
  add('title', 'title.xhtml', 'application/xhtml+xml', xhtml(meta.title || 'Title', language, titleBody));
  const toc: string[] = [];
  manuscript.chapters.forEach((chapter, i) => {
    options.onProgress?.(0.1 + (0.8 * i) / manuscript.chapters.length, 'writing chapters');
    const href = `chapter-${String(i + 1).padStart(3, '0')}.xhtml`;
    const title = chapter.title.trim() || `Chapter ${i + 1}`;
    const body = `<section epub:type="chapter" aria-labelledby="h${i + 1}"><h1 id="h${i + 1}">${escapeXml(title)}</h1>\n${chapterBody(chapter)}\n</section>`;
    add(`c${i + 1}`, href, 'application/xhtml+xml', xhtml(title, language, body, chapter.kind === 'screenplay' ? 'screenplay' : ''));
    toc.push(`<li><a href="${href}">${escapeXml(title)}</a></li>`);
  });
  const nav = `<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>\n${toc.join('\n')}\n</ol></nav>\n<nav epub:type="landmarks" hidden=""><ol>${meta.cover ? '<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>' : ''}<li><a epub:type="bodymatter" href="${manuscript.chapters.length ? 'chapter-001.xhtml' : 'title.xhtml'}">Start</a></li></ol></nav>`;
  add('nav', 'nav.xhtml', 'application/xhtml+xml', xhtml('Contents', language, nav), 'nav');
  const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${escapeXml(language)}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="book-id">${escapeXml(identifier)}</dc:identifier>
<dc:title>${escapeXml(meta.title)}</dc:title>
${meta.author ? `<dc:creator id="author">${escapeXml(meta.author)}</dc:creator>\n` : ''}<dc:language>${escapeXml(language)}</dc:language>
<meta property="dcterms:modified">${modified}</meta>
${meta.cover ? '<meta name="cover" content="cover-image"/>\n' : ''}</metadata>
<manifest>
${manifest.join('\n')}
</manifest>
<spine>
${spine.join('\n')}
</spine>
</package>
`;
  const container = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`;
  options.onProgress?.(0.9, 'packing');
  return zipSync({ mimetype: [strToU8('application/epub+zip'), { level: 0 }], 'META-INF/container.xml': strToU8(container), 'OEBPS/content.opf': strToU8(opf), ...files }, { level: 6 });
}

export const epubWriter = async (manuscript: Manuscript, options: ExportOptions) => ({ bytes: writeEpub(manuscript, options) });
