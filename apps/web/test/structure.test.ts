import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser } from '@quire/db/session';
import { UserError } from '../src/lib/errors';
import { createProject, deleteProject, listTemplates } from '../src/server/projects';
import { acceptInvitation, inviteMember } from '../src/server/members';
import { createDocument, deleteDocument } from '../src/server/documents';
import {
  createDocumentForSection,
  createOutline,
  createSection,
  deleteSection,
  exportOutlineMarkdown,
  getOutlineBoard,
  moveSection,
  updateSection,
} from '../src/server/structure/outlines';
import { applyTemplate, createBeat, getBeatBoard, moveBeat, updateBeat } from '../src/server/structure/beats';
import { createIssue, getPlotBoard, runStructureChecks, updateIssue } from '../src/server/structure/plot';
import { StaleWrite } from '../src/server/structure/versioned';
import { LiveHub, type LiveEvent } from '../src/server/live/hub';
import { embeddedAuth, signUp, testDatabase, type Auth, type TestDb, type TestUser } from './helpers';

const APP = 'http://quire.test';
let db: TestDb;
let auth: Auth;
let owner: TestUser, editor: TestUser, viewer: TestUser, commenter: TestUser, outsider: TestUser;
let novelTemplateId: string;
let projectId: string;

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

async function join(project: string, who: TestUser, role: 'editor' | 'commenter' | 'viewer') {
  const invitation = await inviteMember(db.pool, owner.claims, { projectId: project, email: who.email, role }, APP);
  await acceptInvitation(db.pool, who.claims, { token: invitation.link.split('/invite/')[1]! });
}

async function newProject(title: string): Promise<string> {
  return (await createProject(db.pool, owner.claims, { title, templateId: novelTemplateId })).id;
}

/** Sets a document's words the way the collab server's store does (it runs as the service, outside RLS). */
async function setWords(documentId: string, words: number) {
  await db.admin.query('update public.documents set word_count = $2 where id = $1', [documentId, words]);
}

async function chapter(project: string, title: string, words: number): Promise<string> {
  const { id } = await createDocument(db.pool, owner.claims, { projectId: project, parentId: null, kind: 'chapter', title });
  await setWords(id, words);
  return id;
}

beforeAll(async () => {
  db = await testDatabase();
  auth = embeddedAuth(db.pool);
  const label = (name: string) => signUp(auth, name, name[0]!.toUpperCase() + name.slice(1));
  [owner, editor, viewer, commenter, outsider] = await Promise.all([label('owner'), label('editor'), label('viewer'), label('commenter'), label('outsider')]);
  await db.admin.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [owner.userId]);
  novelTemplateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = await newProject('Harbour Lights');
  await join(projectId, editor, 'editor');
  await join(projectId, viewer, 'viewer');
  await join(projectId, commenter, 'commenter');
});
afterAll(async () => db?.close());

describe('outlines', () => {
  it('nests sections in order, reorders and re-parents with one row written per move', async () => {
    const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Draft one' });
    const act1 = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, kind: 'act', title: 'Act I' });
    const act2 = await createSection(db.pool, editor.claims, projectId, { outlineId: outline.id, parentId: null, kind: 'act', title: 'Act II' });
    const c1 = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: act1.id, title: 'Arrival' });
    const c2 = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: act1.id, title: 'The storm' });
    const first = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: act1.id, afterId: null, title: 'Prologue' });
    const titles = async (parent: string | null) => {
      const board = (await getOutlineBoard(db.pool, viewer.claims, projectId, outline.id))!;
      return board.sections.filter((s) => s.parentId === parent).sort((a, b) => (a.rank < b.rank ? -1 : 1)).map((s) => s.title);
    };
    expect(await titles(act1.id)).toEqual(['Prologue', 'Arrival', 'The storm']);

    // "The storm" to the top of Act I, then into Act II; the siblings keep their keys
    const before = await db.admin.query('select id, rank from public.outline_sections where outline_id = $1', [outline.id]);
    const storm = await moveSection(db.pool, editor.claims, projectId, { sectionId: c2.id, version: c2.version, parentId: act1.id, afterId: null });
    expect(await titles(act1.id)).toEqual(['The storm', 'Prologue', 'Arrival']);
    await moveSection(db.pool, editor.claims, projectId, { sectionId: c2.id, version: storm.version, parentId: act2.id, afterId: null });
    expect(await titles(act2.id)).toEqual(['The storm']);
    const after = await db.admin.query('select id, rank from public.outline_sections where outline_id = $1', [outline.id]);
    const changed = after.rows.filter((r) => before.rows.find((b) => b.id === r.id)!.rank !== r.rank).map((r) => r.id);
    expect(changed).toEqual([c2.id]);
    expect(c1.version).toBe(1);
    expect(first.rank < c1.rank).toBe(true);
  });

  it('refuses a cycle, a nest deeper than eight levels, and a move inside another outline', async () => {
    const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Deep' });
    let parent: string | null = null;
    const chain = [];
    for (let level = 1; level <= 8; level++) {
      const s = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: parent, title: `Level ${level}` });
      chain.push(s);
      parent = s.id;
    }
    const tooDeep = await refusal(createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: parent, title: 'Level 9' }));
    expect(tooDeep.message).toMatch(/8 levels/);
    const cycle = await refusal(moveSection(db.pool, owner.claims, projectId, { sectionId: chain[0]!.id, version: 1, parentId: chain[3]!.id, afterId: null }));
    expect(cycle.message).toMatch(/inside itself/);
    // the database refuses it too, whoever writes
    await expect(db.admin.query('update public.outline_sections set parent_id = $2 where id = $1', [chain[0]!.id, chain[5]!.id])).rejects.toThrow(/inside itself/);
    const other = await createOutline(db.pool, owner.claims, { projectId, title: 'Other' });
    const stranger = await createSection(db.pool, owner.claims, projectId, { outlineId: other.id, parentId: null, title: 'Elsewhere' });
    expect((await refusal(moveSection(db.pool, owner.claims, projectId, { sectionId: stranger.id, version: 1, parentId: chain[0]!.id, afterId: null }))).kind).toBe('invalid');
  });

  it('never lets two concurrent re-parents build a cycle', async () => {
    const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Race' });
    const a = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, title: 'A' });
    const b = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, title: 'B' });
    const results = await Promise.allSettled([
      moveSection(db.pool, owner.claims, projectId, { sectionId: a.id, version: a.version, parentId: b.id, afterId: null }),
      moveSection(db.pool, editor.claims, projectId, { sectionId: b.id, version: b.version, parentId: a.id, afterId: null }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const { rows } = await db.admin.query('select id, parent_id from public.outline_sections where outline_id = $1', [outline.id]);
    expect(rows.filter((r) => r.parent_id === null)).toHaveLength(1);
  });

  it('answers a stale write with a conflict carrying the other writer\u2019s row, and writes nothing', async () => {
    const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Conflicts' });
    const s = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, title: 'Shared card' });
    const ana = await updateSection(db.pool, owner.claims, projectId, { sectionId: s.id, version: s.version, patch: { summary: 'Ana: the ship arrives.' } });
    expect(ana.version).toBe(s.version + 1);
    const stale = await refusal(updateSection(db.pool, editor.claims, projectId, { sectionId: s.id, version: s.version, patch: { summary: 'Ben: the ship sinks.' } }));
    expect(stale).toBeInstanceOf(StaleWrite);
    expect(stale.kind).toBe('conflict');
    expect((stale as StaleWrite<{ summary: string; version: number }>).current).toMatchObject({ summary: 'Ana: the ship arrives.', version: ana.version });
    // re-applied on top of the version now shown, it goes through
    const ben = await updateSection(db.pool, editor.claims, projectId, { sectionId: s.id, version: ana.version, patch: { summary: 'Ben: the ship sinks.' } });
    expect(ben.summary).toBe('Ben: the ship sinks.');
  });

  it('validates input: lengths, status, target, and a document of another project', async () => {
    const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Validation' });
    const s = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, title: 'Card' });
    expect((await refusal(createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, title: '  ' }))).kind).toBe('invalid');
    expect((await refusal(updateSection(db.pool, owner.claims, projectId, { sectionId: s.id, version: 1, patch: { title: 'x'.repeat(201) } }))).message).toMatch(/200/);
    expect((await refusal(updateSection(db.pool, owner.claims, projectId, { sectionId: s.id, version: 1, patch: { status: 'finished' } }))).kind).toBe('invalid');
    expect((await refusal(updateSection(db.pool, owner.claims, projectId, { sectionId: s.id, version: 1, patch: { targetWordCount: -5 } }))).kind).toBe('invalid');
    expect((await refusal(updateSection(db.pool, owner.claims, projectId, { sectionId: s.id, version: 1, patch: {} }))).kind).toBe('invalid');
    const elsewhere = await newProject('Another book');
    const foreignDoc = await createDocument(db.pool, owner.claims, { projectId: elsewhere, parentId: null, kind: 'chapter', title: 'Not here' });
    const foreign = await refusal(updateSection(db.pool, owner.claims, projectId, { sectionId: s.id, version: 1, patch: { documentId: foreignDoc.id } }));
    expect(foreign.message).toMatch(/document of this project/);
    // and the database's own guard, for a writer who skips the command
    await expect(
      withUser(db.pool, owner.claims, (tx) => tx.query('update public.outline_sections set document_id = $2 where id = $1', [s.id, foreignDoc.id])),
    ).rejects.toThrow(/same project/);
  });

  it('links a section to a new document named after it, shows its word count, and exports Markdown', async () => {
    const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Export me' });
    const act = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, kind: 'act', title: 'Act One' });
    const scene = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: act.id, kind: 'chapter', title: 'The lamp room' });
    const planned = await updateSection(db.pool, owner.claims, projectId, { sectionId: scene.id, version: scene.version, patch: { targetWordCount: 3000, status: 'drafting', summary: 'Mara finds the log.' } });
    const linked = await createDocumentForSection(db.pool, owner.claims, projectId, { sectionId: scene.id, version: planned.version });
    expect(linked.documentTitle).toBe('The lamp room');
    await setWords(linked.documentId!, 1234);
    const board = (await getOutlineBoard(db.pool, editor.claims, projectId, outline.id))!;
    expect(board.sections.find((s) => s.id === scene.id)).toMatchObject({ documentWords: 1234, targetWordCount: 3000 });
    const md = (await exportOutlineMarkdown(db.pool, viewer.claims, projectId, outline.id))!.markdown;
    expect(md).toBe(
      ['# Export me', '', '## Act One', '', '_Act · Idea_', '', '### The lamp room', '', '_Chapter · Drafting · 1234 / 3000 words · text: The lamp room_', '', 'Mara finds the log.', ''].join('\n'),
    );
  });

  it('lets viewers and commenters read but not change, through the commands and through SQL', async () => {
    const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Read only' });
    const s = await createSection(db.pool, owner.claims, projectId, { outlineId: outline.id, parentId: null, title: 'Look, do not touch' });
    for (const who of [viewer, commenter]) {
      expect((await getOutlineBoard(db.pool, who.claims, projectId, outline.id))!.canEdit).toBe(false);
      expect((await refusal(updateSection(db.pool, who.claims, projectId, { sectionId: s.id, version: s.version, patch: { title: 'Mine' } }))).kind).toBe('forbidden');
      expect((await refusal(moveSection(db.pool, who.claims, projectId, { sectionId: s.id, version: s.version, parentId: null, afterId: null }))).kind).toBe('forbidden');
      expect((await refusal(createSection(db.pool, who.claims, projectId, { outlineId: outline.id, parentId: null, title: 'Sneaky' }))).kind).toBe('forbidden');
      expect((await refusal(deleteSection(db.pool, who.claims, projectId, { sectionId: s.id }))).kind).toBe('forbidden');
      expect((await refusal(createOutline(db.pool, who.claims, { projectId, title: 'Nope' }))).kind).toBe('forbidden');
      const direct = await withUser(db.pool, who.claims, (tx) => tx.query(`update public.outline_sections set title = 'Mine' where id = $1`, [s.id]));
      expect(direct.rowCount).toBe(0);
    }
    expect(await getOutlineBoard(db.pool, outsider.claims, projectId, outline.id)).toBeNull();
    const { rows } = await db.admin.query('select title, version from public.outline_sections where id = $1', [s.id]);
    expect(rows[0]).toEqual({ title: 'Look, do not touch', version: 1 });
  });
});

describe('beat boards', () => {
  it('applies a template as the right beats in the right columns, in template order', async () => {
    const project = await newProject('Templates');
    const board = (await getBeatBoard(db.pool, owner.claims, project))!;
    const cat = board.templates.find((t) => t.slug === 'save-the-cat')!;
    expect(board.templates.map((t) => t.slug).sort()).toEqual(['heros-journey', 'save-the-cat', 'seven-point', 'story-circle', 'three-act']);
    expect((await applyTemplate(db.pool, owner.claims, { projectId: project, templateId: cat.id })).added).toBe(15);
    const after = (await getBeatBoard(db.pool, viewer.claims, project)) ?? (await getBeatBoard(db.pool, owner.claims, project))!;
    const { rows } = await db.admin.query(`select beats from public.beat_templates where slug = 'save-the-cat'`);
    const expected = (rows[0].beats as Array<{ name: string; act: number; percent: number; position: number }>).sort((a, b) => a.position - b.position);
    expect(after.beats.map((b) => [b.name, b.act, b.idealPercent])).toEqual(expected.map((b) => [b.name, b.act, b.percent]));
    expect(after.beats.every((b) => b.templateId === cat.id)).toBe(true);
  });

  it('places each beat where its linked text starts, against the ideal, and flags the far-off ones', async () => {
    const project = await newProject('Positions');
    await db.admin.query('delete from public.documents where project_id = $1', [project]);
    // 10,000 words: 1,000 + 4,000 + 2,000 + 3,000
    const one = await chapter(project, 'One', 1000);
    const two = await chapter(project, 'Two', 4000);
    const three = await chapter(project, 'Three', 2000);
    const four = await chapter(project, 'Four', 3000);
    const threeAct = (await getBeatBoard(db.pool, owner.claims, project))!.templates.find((t) => t.slug === 'three-act')!;
    await applyTemplate(db.pool, owner.claims, { projectId: project, templateId: threeAct.id });
    const beats = (await getBeatBoard(db.pool, owner.claims, project))!.beats;
    const link = async (name: string, documentId: string) => {
      const beat = beats.find((b) => b.name === name)!;
      return updateBeat(db.pool, owner.claims, project, { beatId: beat.id, version: beat.version, patch: { documentId } });
    };
    expect((await link('Setup', one)).placement).toMatchObject({ percent: 0, drift: 0, farOff: false });
    expect((await link('Inciting Incident', two)).placement).toMatchObject({ percent: 10, drift: -2, farOff: false });
    expect((await link('Midpoint', three)).placement).toMatchObject({ percent: 50, drift: 0, farOff: false });
    expect((await link('Climax', four)).placement).toMatchObject({ percent: 70, drift: -20, farOff: true });
    // through an outline section: the beat takes the section's document
    const outline = await createOutline(db.pool, owner.claims, { projectId: project, title: 'Plan' });
    const section = await createSection(db.pool, owner.claims, project, { outlineId: outline.id, parentId: null, title: 'Chapter four' });
    await updateSection(db.pool, owner.claims, project, { sectionId: section.id, version: 1, patch: { documentId: four } });
    const p2 = beats.find((b) => b.name === 'Plot Point Two')!;
    expect((await updateBeat(db.pool, owner.claims, project, { beatId: p2.id, version: p2.version, patch: { outlineSectionId: section.id } })).placement).toMatchObject({
      percent: 70,
      drift: -5,
    });
  });

  it('moves beats within and across columns, refuses viewers, and keeps order after concurrent moves', async () => {
    const project = await newProject('Moves');
    await join(project, editor, 'editor');
    await join(project, viewer, 'viewer');
    const a = await createBeat(db.pool, owner.claims, { projectId: project, act: 1, name: 'A' });
    await createBeat(db.pool, owner.claims, { projectId: project, act: 1, name: 'B' });
    const c = await createBeat(db.pool, owner.claims, { projectId: project, act: 1, name: 'C' });
    await moveBeat(db.pool, editor.claims, project, { beatId: c.id, version: c.version, act: 1, afterId: null });
    await moveBeat(db.pool, owner.claims, project, { beatId: a.id, version: a.version, act: 2, afterId: null });
    const names = async () => (await getBeatBoard(db.pool, viewer.claims, project))!.beats.map((x) => `${x.act}:${x.name}`);
    expect(await names()).toEqual(['1:C', '1:B', '2:A']);
    // two writers drop different cards into the same gap at once: both land, nothing is lost or duplicated
    const fresh = (await getBeatBoard(db.pool, owner.claims, project))!.beats;
    const [cb, bb] = [fresh.find((x) => x.name === 'C')!, fresh.find((x) => x.name === 'B')!];
    await Promise.all([
      moveBeat(db.pool, owner.claims, project, { beatId: cb.id, version: cb.version, act: 2, afterId: a.id }),
      moveBeat(db.pool, editor.claims, project, { beatId: bb.id, version: bb.version, act: 2, afterId: a.id }),
    ]);
    const final = await names();
    expect(final.slice(0, 1)).toEqual(['2:A']);
    expect([...final].sort()).toEqual(['2:A', '2:B', '2:C']);
    const ranks = (await db.admin.query('select rank from public.story_beats where project_id = $1', [project])).rows.map((r) => r.rank);
    expect(new Set(ranks).size).toBe(3);
    expect((await refusal(moveBeat(db.pool, viewer.claims, project, { beatId: a.id, version: 2, act: 3, afterId: null }))).kind).toBe('forbidden');
    expect((await refusal(createBeat(db.pool, viewer.claims, { projectId: project, act: 1, name: 'Nope' }))).kind).toBe('forbidden');
  });
});

describe('plot issue cards and the deterministic checks', () => {
  it('find the planted problems in a seeded project and nothing in a clean one', async () => {
    const clean = await newProject('Clean');
    await db.admin.query('delete from public.documents where project_id = $1', [clean]);
    const docs: string[] = [];
    for (const [i, words] of [1000, 1050, 950, 1000, 1000, 1000, 1000, 1000].entries()) docs.push(await chapter(clean, `Chapter ${i + 1}`, words));
    const template = (await getBeatBoard(db.pool, owner.claims, clean))!.templates.find((t) => t.slug === 'story-circle')!;
    await applyTemplate(db.pool, owner.claims, { projectId: clean, templateId: template.id });
    // eight beats at 0, 12.5, 25, ... %: each on the chapter that starts there
    for (const beat of (await getBeatBoard(db.pool, owner.claims, clean))!.beats) {
      const doc = docs[Math.round((beat.idealPercent! / 100) * 8)]!;
      await updateBeat(db.pool, owner.claims, clean, { beatId: beat.id, version: beat.version, patch: { documentId: doc } });
    }
    const outline = await createOutline(db.pool, owner.claims, { projectId: clean, title: 'Plan' });
    const s = await createSection(db.pool, owner.claims, clean, { outlineId: outline.id, parentId: null, title: 'One' });
    await updateSection(db.pool, owner.claims, clean, { sectionId: s.id, version: 1, patch: { documentId: docs[0], targetWordCount: 1000 } });
    expect(await runStructureChecks(db.pool, owner.claims, clean)).toMatchObject({ issues: 0 });
    expect((await getPlotBoard(db.pool, owner.claims, clean))!.latestChecks).toMatchObject({ status: 'completed', issueCount: 0 });

    const planted = await newProject('Planted');
    await db.admin.query('delete from public.documents where project_id = $1', [planted]);
    const one = await chapter(planted, 'One', 2000);
    await chapter(planted, 'Two', 2000);
    await chapter(planted, 'Three', 2000);
    const long = await chapter(planted, 'Long', 9000);
    const empty = await chapter(planted, 'Empty', 0);
    const short = await chapter(planted, 'Short', 400);
    const board = (await getBeatBoard(db.pool, owner.claims, planted))!;
    const unlinked = await createBeat(db.pool, owner.claims, { projectId: planted, act: 1, name: 'Lonely beat' });
    const drifting = await createBeat(db.pool, owner.claims, { projectId: planted, act: 2, name: 'Late midpoint' });
    await updateBeat(db.pool, owner.claims, planted, { beatId: drifting.id, version: 1, patch: { idealPercent: 10, documentId: long } });
    const plan = await createOutline(db.pool, owner.claims, { projectId: planted, title: 'Plan' });
    const emptySection = await createSection(db.pool, owner.claims, planted, { outlineId: plan.id, parentId: null, title: 'Empty one' });
    await updateSection(db.pool, owner.claims, planted, { sectionId: emptySection.id, version: 1, patch: { documentId: empty } });
    const over = await createSection(db.pool, owner.claims, planted, { outlineId: plan.id, parentId: null, title: 'Overgrown' });
    await updateSection(db.pool, owner.claims, planted, { sectionId: over.id, version: 1, patch: { documentId: long, targetWordCount: 3000 } });
    const under = await createSection(db.pool, owner.claims, planted, { outlineId: plan.id, parentId: null, title: 'Thin' });
    await updateSection(db.pool, owner.claims, planted, { sectionId: under.id, version: 1, patch: { documentId: one, targetWordCount: 5000 } });
    expect(board.beats).toEqual([]);

    // a viewer may not record a run
    await join(planted, viewer, 'viewer');
    expect((await refusal(runStructureChecks(db.pool, viewer.claims, planted))).kind).toBe('forbidden');

    const run = await runStructureChecks(db.pool, owner.claims, planted);
    const plot = (await getPlotBoard(db.pool, owner.claims, planted))!;
    const found = plot.issues.map((i) => [i.rule, i.beatId ?? i.outlineSectionId ?? i.documentId]).sort();
    expect(found).toEqual(
      [
        ['beat_drift', drifting.id],
        ['beat_unlinked', unlinked.id],
        ['chapter_long', long],
        ['chapter_short', short],
        ['section_empty', emptySection.id],
        ['section_over_target', over.id],
        ['section_under_target', under.id],
      ].sort(),
    );
    expect(run.issues).toBe(7);
    // a rerun supersedes the last run's cards instead of piling up duplicates
    await runStructureChecks(db.pool, owner.claims, planted);
    expect((await getPlotBoard(db.pool, owner.claims, planted))!.issues).toHaveLength(7);
  });

  it('triages a card with a version check, and keeps a hand-written card', async () => {
    const card = await createIssue(db.pool, editor.claims, { projectId, title: 'Why does the keeper never sleep?', severity: 'high', category: 'plot_hole' });
    const ack = await updateIssue(db.pool, owner.claims, projectId, { issueId: card.id, version: card.version, patch: { status: 'acknowledged' } });
    expect(ack.status).toBe('acknowledged');
    expect(await refusal(updateIssue(db.pool, editor.claims, projectId, { issueId: card.id, version: card.version, patch: { status: 'dismissed' } }))).toBeInstanceOf(StaleWrite);
    expect((await refusal(updateIssue(db.pool, viewer.claims, projectId, { issueId: card.id, version: ack.version, patch: { status: 'resolved' } }))).kind).toBe('forbidden');
    const resolved = await updateIssue(db.pool, editor.claims, projectId, { issueId: card.id, version: ack.version, patch: { status: 'resolved' } });
    const { rows } = await db.admin.query('select resolved_by from public.plot_issues where id = $1', [resolved.id]);
    expect(rows[0].resolved_by).toBe(editor.userId);
  });
});

describe('cascades', () => {
  it('deleting a document or the project leaves no orphans', async () => {
    const project = await newProject('Doomed');
    const doc = await chapter(project, 'Doomed chapter', 500);
    const outline = await createOutline(db.pool, owner.claims, { projectId: project, title: 'Plan' });
    const s = await createSection(db.pool, owner.claims, project, { outlineId: outline.id, parentId: null, title: 'Linked' });
    await createSection(db.pool, owner.claims, project, { outlineId: outline.id, parentId: s.id, title: 'Child of linked' });
    await updateSection(db.pool, owner.claims, project, { sectionId: s.id, version: 1, patch: { documentId: doc } });
    const beat = await createBeat(db.pool, owner.claims, { projectId: project, act: 1, name: 'Beat' });
    await updateBeat(db.pool, owner.claims, project, { beatId: beat.id, version: 1, patch: { documentId: doc } });
    await createIssue(db.pool, owner.claims, { projectId: project, title: 'About the doomed chapter', documentId: doc });
    await runStructureChecks(db.pool, owner.claims, project);

    await deleteDocument(db.pool, owner.claims, { documentId: doc });
    const count = async (sql: string) => (await db.admin.query(sql, [project])).rows[0].n;
    // sections linked to the document go with it (the seed's rule), and their children with them; beats are unlinked
    expect(await count('select count(*)::int as n from public.outline_sections where project_id = $1')).toBe(0);
    expect(await count('select count(*)::int as n from public.plot_issues where project_id = $1 and document_id is not null')).toBe(0);
    expect((await db.admin.query('select document_id from public.story_beats where id = $1', [beat.id])).rows[0].document_id).toBeNull();

    await deleteProject(db.pool, owner.claims, { projectId: project, confirmTitle: 'Doomed' });
    for (const table of ['outlines', 'outline_sections', 'story_beats', 'plot_analyses', 'plot_issues']) {
      expect(await count(`select count(*)::int as n from public.${table} where project_id = $1`)).toBe(0);
    }
  });
});

describe('the live feed', () => {
  it('delivers each committed change once, to the subscribers of that project only', async () => {
    const hub = new LiveHub(db.url);
    const other = await newProject('Quiet');
    const heard: LiveEvent[] = [];
    const quiet: LiveEvent[] = [];
    const stop = await hub.subscribe(projectId, (e) => heard.push(e));
    const stopQuiet = await hub.subscribe(other, (e) => quiet.push(e));
    try {
      const outline = await createOutline(db.pool, owner.claims, { projectId, title: 'Live' });
      const s = await createSection(db.pool, editor.claims, projectId, { outlineId: outline.id, parentId: null, title: 'Heard' });
      await updateSection(db.pool, editor.claims, projectId, { sectionId: s.id, version: 1, patch: { title: 'Heard again' } });
      // a rolled-back write is never announced
      await withUser(db.pool, owner.claims, async (tx) => {
        await tx.query(`update public.outline_sections set title = 'Never' where id = $1`, [s.id]);
        throw new Error('roll back');
      }).catch(() => {});
      await deleteSection(db.pool, owner.claims, projectId, { sectionId: s.id });
      const deadline = Date.now() + 5_000;
      while (heard.filter((e) => e.kind === 'change' && e.change.table === 'outline_sections').length < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const sections = heard.flatMap((e) => (e.kind === 'change' && e.change.table === 'outline_sections' ? [e.change] : []));
      expect(sections.map((c) => [c.op, c.id, c.version])).toEqual([
        ['insert', s.id, 1],
        ['update', s.id, 2],
        ['delete', s.id, 2],
      ]);
      expect(sections.every((c) => c.projectId === projectId)).toBe(true);
      expect(quiet).toEqual([]);
    } finally {
      stop();
      stopQuiet();
      await hub.close();
    }
  });
});
