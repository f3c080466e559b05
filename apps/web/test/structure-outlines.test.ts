import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser } from '@quire/db/session';
import { createDocument } from '../src/server/documents';
import {
  createDocumentForSection,
  createOutline,
  createSection,
  deleteSection,
  exportOutlineMarkdown,
  getOutlineBoard,
  moveSection,
  updateOutline,
  updateSection,
} from '../src/server/structure/outlines';
import { StaleWrite } from '../src/server/structure/versioned';
import { type StructureFixture, refusal, structureFixture } from './structure-fixture';

/** The structure studio's outlines: nesting, moves, cycles and depth, conflicts, validation, links, Markdown, roles (real Postgres). */

let f: StructureFixture;
let db: StructureFixture['db'];
let owner: StructureFixture['owner'], editor: StructureFixture['owner'], viewer: StructureFixture['owner'], commenter: StructureFixture['owner'], outsider: StructureFixture['owner'];
let projectId: string;
const newProject = (title: string) => f.newProject(title);
const setWords = (documentId: string, words: number) => f.setWords(documentId, words);

beforeAll(async () => {
  f = await structureFixture();
  ({ db, owner, editor, viewer, commenter, outsider, projectId } = f);
});
afterAll(async () => f?.db.close());

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

  it('shows a generated outline\u2019s model, temperature and prompt, and refuses every write to them by hand', async () => {
    // generated outlines come from the AI jobs, which write as the service
    const { rows } = await db.admin.query(
      `insert into public.outlines (project_id, title, source, model, temperature, prompt, rank)
       values ($1, 'Generated plan', 'generated', 'gpt-4.1-mini', 0.70, 'Outline a lighthouse mystery in three acts.', 'b00') returning id`,
      [projectId],
    );
    const outlineId = rows[0].id as string;
    const board = (await getOutlineBoard(db.pool, viewer.claims, projectId, outlineId))!;
    expect(board.outline.generator).toEqual({ model: 'gpt-4.1-mini', temperature: 0.7, prompt: 'Outline a lighthouse mystery in three acts.' });
    const { version } = board.outline;
    for (const patch of [{ model: 'hand-picked' }, { temperature: 1.5 }, { prompt: 'Something else' }, { title: 'Renamed', prompt: 'Sneaked in' }]) {
      const refused = await refusal(updateOutline(db.pool, owner.claims, projectId, { outlineId, version, patch }));
      expect(refused.kind).toBe('forbidden');
      expect(refused.message).toMatch(/model, temperature and prompt .* read-only/);
    }
    // the database refuses it too, for a writer who skips the API
    await expect(
      withUser(db.pool, editor.claims, (tx) => tx.query(`update public.outlines set prompt = 'By hand' where id = $1`, [outlineId])),
    ).rejects.toThrow(/cannot be changed by hand/);
    // the rest of the outline stays the writers'
    const renamed = await updateOutline(db.pool, editor.claims, projectId, { outlineId, version, patch: { title: 'Generated plan, revised' } });
    expect(renamed).toMatchObject({ title: 'Generated plan, revised', generator: board.outline.generator });
    const after = await db.admin.query('select model, temperature::float8 as temperature, prompt from public.outlines where id = $1', [outlineId]);
    expect(after.rows[0]).toEqual({ model: 'gpt-4.1-mini', temperature: 0.7, prompt: 'Outline a lighthouse mystery in three acts.' });
    // a plot run's model is the generator's record as well
    const run = await db.admin.query(`insert into public.plot_analyses (project_id, source, status, model) values ($1, 'generated', 'completed', 'gpt-4.1') returning id`, [projectId]);
    await expect(
      withUser(db.pool, owner.claims, (tx) => tx.query(`update public.plot_analyses set model = 'mine' where id = $1`, [run.rows[0].id])),
    ).rejects.toThrow(/cannot be changed by hand/);
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
