import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createArc, deleteArc, updateArc } from '../src/server/bible/arcs';
import { createCharacter, deleteCharacter } from '../src/server/bible/characters';
import { getCharacterProfile } from '../src/server/bible/profile';
import { createRelationship } from '../src/server/bible/relationships';
import { createBeat, updateBeat } from '../src/server/structure/beats';
import { createOutline, createSection, deleteSection, updateSection } from '../src/server/structure/outlines';
import { StaleWrite } from '../src/server/structure/versioned';
import { refusal, structureFixture, type StructureFixture } from './structure-fixture';

/** Arcs against the manuscript, their links kept honest by the database, and the profile read that shows them. */

let f: StructureFixture;
let projectId: string;
let one: string, two: string, three: string;

const stage = (kind: 'start' | 'turn' | 'end', title: string, link: unknown = null) => ({ id: randomUUID(), kind, title, description: '', link });

beforeAll(async () => {
  f = await structureFixture();
  projectId = await f.newProject('Arcs');
  await f.join(projectId, f.editor, 'editor');
  await f.join(projectId, f.viewer, 'viewer');
  // a 100-word manuscript besides the template's empty chapter: 20, 30 and 50 words
  one = await f.chapter(projectId, 'One', 20);
  two = await f.chapter(projectId, 'Two', 30);
  three = await f.chapter(projectId, 'Three', 50);
  await f.db.admin.query('update public.documents set word_count = 0 where project_id = $1 and not (id = any($2::uuid[]))', [projectId, [one, two, three]]);
  await f.db.admin.query('update public.documents set plain_text = $2 where id = $1', [two, `${'word '.repeat(15)}She burns the map. ${'word '.repeat(11)}`]);
}, 120_000);
afterAll(async () => f?.db.close());

describe('character arcs', () => {
  it('places each stage where its text stands and flags a stage that stands before the one it follows', async () => {
    const zoe = await createCharacter(f.db.pool, f.owner.claims, { projectId, name: 'Zoë', role: 'protagonist' });
    const outline = await createOutline(f.db.pool, f.owner.claims, { projectId, title: 'Plan' });
    const section = await createSection(f.db.pool, f.owner.claims, projectId, { outlineId: outline.id, parentId: null, title: 'The flood' });
    await updateSection(f.db.pool, f.owner.claims, projectId, { sectionId: section.id, version: 1, patch: { documentId: three } });
    const beat = await createBeat(f.db.pool, f.owner.claims, { projectId, act: 1, name: 'Catalyst' });
    await updateBeat(f.db.pool, f.owner.claims, projectId, { beatId: beat.id, version: beat.version, patch: { documentId: one } });
    const arc = await createArc(f.db.pool, f.editor.claims, {
      projectId, characterId: zoe.id, title: 'Zoë learns to let go',
      stages: [
        stage('start', 'Hoards every map', { type: 'beat', id: beat.id }),
        stage('turn', 'Burns the map', { type: 'document', id: two, quote: 'She burns the map.' }),
        stage('turn', 'Unlinked doubt'),
        stage('end', 'Sails without one', { type: 'section', id: section.id }),
      ],
    });
    const profile = (await getCharacterProfile(f.db.pool, f.viewer.claims, projectId, zoe.id))!;
    expect(profile.canEdit).toBe(false);
    const placed = profile.arcs.find((a) => a.id === arc.id)!;
    expect(placed.placements.map((p) => p.percent)).toEqual([0, 35, null, 50]);
    expect(placed.placements.some((p) => p.outOfOrder)).toBe(false);
    expect(placed.placements[2]!.unplaced).toMatch(/Not linked/);
    // the seed's start and end columns follow the stages
    const { rows } = await f.db.admin.query('select starting_state, ending_state from public.character_arcs where id = $1', [arc.id]);
    expect(rows[0]).toEqual({ starting_state: 'Hoards every map', ending_state: 'Sails without one' });

    // the turning point moved before the start in the text: flagged
    const moved = await updateArc(f.db.pool, f.owner.claims, projectId, {
      arcId: arc.id, version: arc.version,
      patch: { stages: [stage('start', 'Hoards', { type: 'document', id: two }), stage('turn', 'Burns', { type: 'document', id: one }), stage('end', 'Sails', { type: 'document', id: three })] },
    });
    const again = (await getCharacterProfile(f.db.pool, f.owner.claims, projectId, zoe.id))!.arcs.find((a) => a.id === arc.id)!;
    expect(again.placements.map((p) => [p.percent, p.outOfOrder])).toEqual([[20, false], [0, true], [50, false]]);
    expect(moved.version).toBe(arc.version + 1);
  });

  it('refuses stale saves, a start that is not first, links into another project, and viewers', async () => {
    const ines = await createCharacter(f.db.pool, f.owner.claims, { projectId, name: 'Ines' });
    const arc = await createArc(f.db.pool, f.owner.claims, { projectId, characterId: ines.id, stages: [stage('start', 'Owns the salt')] });
    await updateArc(f.db.pool, f.editor.claims, projectId, { arcId: arc.id, version: arc.version, patch: { title: 'Ben’s title' } });
    const stale = await refusal(updateArc(f.db.pool, f.owner.claims, projectId, { arcId: arc.id, version: arc.version, patch: { title: 'Ana’s title' } }));
    expect(stale).toBeInstanceOf(StaleWrite);
    expect((stale as StaleWrite<{ title: string }>).current.title).toBe('Ben’s title');
    expect((await refusal(updateArc(f.db.pool, f.owner.claims, projectId, {
      arcId: arc.id, version: arc.version + 1, patch: { stages: [stage('turn', 'A'), stage('start', 'B')] },
    }))).message).toBe('The start state comes first and the end state last.');
    const elsewhere = await f.newProject('Elsewhere');
    const foreign = await f.chapter(elsewhere, 'Not yours', 10);
    expect((await refusal(updateArc(f.db.pool, f.owner.claims, projectId, {
      arcId: arc.id, version: arc.version + 1, patch: { stages: [stage('start', 'A', { type: 'document', id: foreign })] },
    }))).message).toBe('A stage links a document that is not in this project.');
    expect((await refusal(createArc(f.db.pool, f.viewer.claims, { projectId, characterId: ines.id }))).kind).toBe('forbidden');
    expect((await refusal(deleteArc(f.db.pool, f.viewer.claims, projectId, { arcId: arc.id }))).kind).toBe('forbidden');
    expect((await refusal(updateArc(f.db.pool, f.viewer.claims, projectId, { arcId: arc.id, version: arc.version + 1, patch: { title: 'x' } }))).kind).toBe('forbidden');
    expect(await getCharacterProfile(f.db.pool, f.outsider.claims, projectId, ines.id)).toBeNull();
  });

  it('drops a link when its section is deleted, and deletes arcs and relationships with the character', async () => {
    const tomas = await createCharacter(f.db.pool, f.owner.claims, { projectId, name: 'Tomas' });
    const mara = await createCharacter(f.db.pool, f.owner.claims, { projectId, name: 'Mara' });
    const outline = await createOutline(f.db.pool, f.owner.claims, { projectId, title: 'Cuts' });
    const doomed = await createSection(f.db.pool, f.owner.claims, projectId, { outlineId: outline.id, parentId: null, title: 'Cut scene' });
    const arc = await createArc(f.db.pool, f.owner.claims, { projectId, characterId: tomas.id, stages: [stage('start', 'Retired', { type: 'section', id: doomed.id }), stage('end', 'Teaches again')] });
    await createRelationship(f.db.pool, f.owner.claims, { projectId, fromId: tomas.id, toId: mara.id, kind: 'mentor' });
    await deleteSection(f.db.pool, f.owner.claims, projectId, { sectionId: doomed.id });
    const profile = (await getCharacterProfile(f.db.pool, f.owner.claims, projectId, tomas.id))!;
    const kept = profile.arcs.find((a) => a.id === arc.id)!;
    expect(kept.stages.map((s) => [s.title, s.link])).toEqual([['Retired', null], ['Teaches again', null]]);
    expect(kept.version).toBe(arc.version + 1);
    expect(profile.relationships.map((r) => [r.kind, r.other.name, r.outgoing])).toEqual([['mentor', 'Mara', true]]);

    await deleteCharacter(f.db.pool, f.editor.claims, projectId, { characterId: tomas.id });
    const left = await f.db.admin.query(
      `select (select count(*) from public.character_arcs where character_id = $1)::int as arcs,
              (select count(*) from public.character_relationships where character_id = $1 or related_character_id = $1)::int as rels`,
      [tomas.id],
    );
    expect(left.rows[0]).toEqual({ arcs: 0, rels: 0 });
    expect(await getCharacterProfile(f.db.pool, f.owner.claims, projectId, tomas.id)).toBeNull();
  });
});
