import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Fountain } from 'fountain-js';
import { exportManuscript, importFile, manuscriptFromDocuments, type Block } from '../src/index';
import { blocksFromProseMirror } from '../src/model';
import { parseEmphasis, readFountain, writeFountain } from '../src/fountain';
import { readFdx, writeFdx } from '../src/fdx';
import { screenplay, SCREENPLAY_META } from './fixtures/seed';
import { elementSequence } from './normalize';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (text: string) => new TextEncoder().encode(text);
/** Fountain has no "shot" element: a shot is written as action in capitals. */
const asFountain = (blocks: Block[]) => elementSequence(blocks.map((b) => (b.type === 'shot' ? { ...b, type: 'action' as const } : b)));

describe('fountain', () => {
  it('exports the seeded screenplay so that an independent parser (fountain-js) sees the same elements', async () => {
    const result = await exportManuscript('fountain', screenplay());
    expect(result.extension).toBe('fountain');
    const source = decode(result.bytes);
    expect(source).toMatch(/^Title: Night Ferry\nCredit: Written by\nAuthor: Jon Reyes\n\nEXT\. FERRY DECK - NIGHT\n/);
    const tokens = new Fountain().parse(source, true).tokens.filter((t) => !t.is_title && !/dialogue_(begin|end)|spaces/.test(t.type));
    const blocks = screenplay().chapters[0]!.blocks;
    const expected = blocks.map((b) => ({ sceneHeading: 'scene_heading', shot: 'action' })[b.type as 'shot'] ?? b.type);
    expect(tokens.map((t) => t.type)).toEqual(expected);
  });

  it('round trips Fountain → Quire → Fountain with the same text and element sequence', async () => {
    const first = writeFountain(screenplay(), { sceneNumbers: true });
    const { documents, report } = await importFile(encode(first), 'night-ferry.fountain');
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.kind).toBe('screenplay');
    expect(documents[0]!.title).toBe('Night Ferry');
    const back = manuscriptFromDocuments(SCREENPLAY_META, documents.map((d) => ({ title: d.title, content: d.prosemirror })));
    expect(elementSequence(back.chapters[0]!.blocks)).toEqual(asFountain(screenplay().chapters[0]!.blocks));
    expect(writeFountain(back, { sceneNumbers: true })).toBe(first);
  });

  it('forces elements whose text would parse as something else, and keeps emphasis', () => {
    const tricky: Block[] = [
      { type: 'sceneHeading', spans: [{ text: 'THE DREAM' }] },
      { type: 'action', spans: [{ text: 'BANG!\nThe door.' }] },
      { type: 'action', spans: [{ text: 'INT. is how it starts' }] },
      { type: 'character', spans: [{ text: 'McCLANE' }] },
      { type: 'dialogue', spans: [{ text: 'Yippee ' }, { text: 'ki', marks: ['italic'] }, { text: ' ' }, { text: 'yay', marks: ['bold', 'underline'] }, { text: ' 5*3_2' }] },
      { type: 'transition', spans: [{ text: 'SMASH CUT' }] },
    ];
    const source = writeFountain({ meta: { title: 'T' }, chapters: [{ title: 'T', kind: 'screenplay', blocks: tricky }] });
    const read = readFountain(source);
    expect(read.blocks).toEqual(tricky);
  });

  it('reports syntax it cannot keep, with lines, and still imports the rest', async () => {
    const source = 'Title: Odd\n\nINT. ROOM - DAY\n\n[[a note]]\n\n# Act One\n\n= a synopsis\n\n> CENTRED <\n\nBOB ^\nHi.\n\n/* unclosed boneyard\n\nSome action.\n';
    const { documents, report } = await importFile(encode(source), 'odd.fountain');
    expect(report.ok).toBe(true);
    const messages = report.problems.map((p) => `${p.line}:${p.message}`).join('\n');
    expect(messages).toMatch(/note/);
    expect(messages).toMatch(/7:section "Act One"/);
    expect(messages).toMatch(/synopsis/);
    expect(messages).toMatch(/centred/);
    expect(messages).toMatch(/dual dialogue/);
    expect(messages).toMatch(/unclosed boneyard/);
    const types = blocksFromProseMirror(documents[0]!.prosemirror).map((b) => b.type);
    expect(types.slice(0, 4)).toEqual(['sceneHeading', 'action', 'character', 'dialogue']);
  });

  it('parses nested emphasis and escapes', () => {
    expect(parseEmphasis('a ***b*** \\*c\\* _d *e*_')).toEqual([
      { text: 'a ' },
      { text: 'b', marks: ['bold', 'italic'] },
      { text: ' *c* ' },
      { text: 'd ', marks: ['underline'] },
      { text: 'e', marks: ['italic', 'underline'] },
    ]);
  });
});

describe('final draft', () => {
  it('writes well-formed FDX with the right paragraph types', async () => {
    const xml = decode((await exportManuscript('fdx', screenplay(), { sceneNumbers: true })).bytes);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect(doc.FinalDraft.Version).toBe('5');
    const paragraphs = doc.FinalDraft.Content.Paragraph as { Type: string; Number?: string }[];
    expect(paragraphs.map((p) => p.Type)).toEqual(
      screenplay().chapters[0]!.blocks.map((b) => ({ sceneHeading: 'Scene Heading', action: 'Action', character: 'Character', parenthetical: 'Parenthetical', dialogue: 'Dialogue', transition: 'Transition', shot: 'Shot' })[b.type as 'action']),
    );
    expect(paragraphs.filter((p) => p.Number).map((p) => p.Number)).toEqual(['1', '2']);
  });

  it('round trips FDX → Quire → FDX with the same text, element sequence and styles', async () => {
    const base = screenplay();
    base.chapters[0]!.blocks[1]!.spans = [{ text: 'Rain ' }, { text: 'hammers', marks: ['bold', 'italic'] }, { text: ' & <the> "deck"' }];
    const first = writeFdx(base);
    const { documents, report } = await importFile(encode(first), 'night.fdx');
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    const back = manuscriptFromDocuments(SCREENPLAY_META, documents.map((d) => ({ title: d.title, content: d.prosemirror })));
    expect(back.chapters[0]!.blocks).toEqual(base.chapters[0]!.blocks);
    expect(writeFdx(back)).toBe(first);
  });

  it('refuses malformed XML and entity declarations with a clear report', async () => {
    const broken = await importFile(encode('<?xml version="1.0"?><FinalDraft><Content><Paragraph Type="Action"><Text>x</Paragraph></Content></FinalDraft>'), 'x.fdx');
    expect(broken.report.ok).toBe(false);
    expect(broken.report.problems[0]!.message).toMatch(/not well-formed XML/);
    const laughs = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><FinalDraft><Content/></FinalDraft>';
    expect((await importFile(encode(laughs), 'x.fdx')).report.problems[0]!.message).toMatch(/entities/);
    expect(() => readFdx('<FinalDraft><Content><Paragraph Type="Lyrics"><Text>la</Text></Paragraph></Content></FinalDraft>')).not.toThrow();
  });
});
