import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutline, createSection, updateSection } from '../src/server/structure/outlines';
import { withUser } from '@quire/db/session';
import { applyTemplate, createBeat, deleteOwnTemplate, getBeatBoard, moveBeat, saveBoardAsTemplate, updateBeat } from '../src/server/structure/beats';
import { type StructureFixture, refusal, structureFixture } from './structure-fixture';

/** The structure studio's beat boards: templates (public and the owner’s own), placements in the manuscript, moves, roles (real Postgres). */

let f: StructureFixture;
let db: StructureFixture['db'];
let owner: StructureFixture['owner'], editor: StructureFixture['owner'], viewer: StructureFixture['owner'];
const newProject = (title: string) => f.newProject(title);
const chapter = (project: string, title: string, words: number) => f.chapter(project, title, words);
const join = (project: string, who: StructureFixture['owner'], role: 'editor' | 'commenter' | 'viewer') => f.join(project, who, role);

beforeAll(async () => {
  f = await structureFixture();
  ({ db, owner, editor, viewer } = f);
});
afterAll(async () => f?.db.close());

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

  it('keeps a board as the owner\u2019s private template, for their other projects only', async () => {
    const project = await newProject('Keep me');
    await join(project, editor, 'editor');
    await join(project, viewer, 'viewer');
    const first = await createBeat(db.pool, owner.claims, { projectId: project, act: 1, name: 'Cold open' });
    await createBeat(db.pool, owner.claims, { projectId: project, act: 2, name: 'The turn' });
    await createBeat(db.pool, owner.claims, { projectId: project, act: 1, name: 'The call' });
    await updateBeat(db.pool, owner.claims, project, { beatId: first.id, version: first.version, patch: { idealPercent: 3 } });
    for (const who of [editor, viewer]) {
      expect((await refusal(saveBoardAsTemplate(db.pool, who.claims, { projectId: project, name: 'Theirs' }))).kind).toBe('forbidden');
    }
    expect((await refusal(saveBoardAsTemplate(db.pool, owner.claims, { projectId: project, name: ' ' }))).kind).toBe('invalid');
    const kept = await saveBoardAsTemplate(db.pool, owner.claims, { projectId: project, name: 'My heist shape' });
    // board order, act by act; the ideal place kept, the others spread evenly
    expect(kept.beats.map((b) => [b.name, b.act, b.percent])).toEqual([['Cold open', 1, 3], ['The call', 1, 50], ['The turn', 2, 100]]);
    expect(kept.mine).toBe(true);

    const next = await newProject('The sequel');
    const mine = (await getBeatBoard(db.pool, owner.claims, next))!.templates;
    expect(mine.find((t) => t.id === kept.id)).toMatchObject({ name: 'My heist shape', mine: true });
    expect((await applyTemplate(db.pool, owner.claims, { projectId: next, templateId: kept.id })).added).toBe(3);
    expect((await getBeatBoard(db.pool, owner.claims, next))!.beats.map((b) => `${b.act}:${b.name}:${b.idealPercent}`)).toEqual(['1:Cold open:3', '1:The call:50', '2:The turn:100']);

    // nobody else sees it or can apply it, and only its owner can delete it; public structures stay undeletable
    expect((await getBeatBoard(db.pool, editor.claims, project))!.templates.some((t) => t.id === kept.id)).toBe(false);
    expect((await refusal(applyTemplate(db.pool, editor.claims, { projectId: project, templateId: kept.id }))).kind).toBe('not_found');
    const direct = await withUser(db.pool, editor.claims, (tx) =>
      tx.query(`insert into public.beat_templates (slug, name, is_public, owner_id) values ('forged', 'Forged', false, $1)`, [owner.userId]).catch((e: Error) => e),
    );
    expect(direct).toBeInstanceOf(Error);
    expect((await refusal(deleteOwnTemplate(db.pool, editor.claims, kept.id))).kind).toBe('forbidden');
    const publicOne = (await getBeatBoard(db.pool, owner.claims, next))!.templates.find((t) => t.slug === 'save-the-cat')!;
    expect((await refusal(deleteOwnTemplate(db.pool, owner.claims, publicOne.id))).kind).toBe('forbidden');
    await deleteOwnTemplate(db.pool, owner.claims, kept.id);
    expect((await getBeatBoard(db.pool, owner.claims, next))!.templates.some((t) => t.id === kept.id)).toBe(false);
    // the beats it made stay, only their template link goes
    expect((await getBeatBoard(db.pool, owner.claims, next))!.beats).toHaveLength(3);
  });
});
