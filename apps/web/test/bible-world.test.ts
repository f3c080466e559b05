import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withService, withUser } from '@quire/db/session';
import { createProject, listTemplates } from '../src/server/projects';
import { createDocument, deleteDocument } from '../src/server/documents';
import { createRelationship, deleteRelationship, getRelationshipGraph, updateRelationship } from '../src/server/bible/relationships';
import { createLocation, deleteLocation, getWorld, updateLocation } from '../src/server/bible/locations';
import { createEvent, deleteEvent, getTimeline, updateEvent } from '../src/server/bible/timeline';
import { getMentionsOverview, rescanProject, storeDocumentMentions } from '../src/server/bible/mentions';
import { StaleWrite } from '../src/server/structure/versioned';
import { LiveHub, type LiveEvent } from '../src/server/live/hub';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, type TestDb, type TestUser } from './helpers';

let db: TestDb;
let owner: TestUser, editor: TestUser, viewer: TestUser, commenter: TestUser, outsider: TestUser;
let templateId: string;
let projectId: string;

async function newProject(title: string): Promise<string> {
  return (await createProject(db.pool, owner.claims, { title, templateId })).id;
}

async function character(project: string, name: string, aliases: string[] = []): Promise<string> {
  return withUser(db.pool, owner.claims, async (tx) =>
    (await tx.query('insert into public.characters (project_id, name, aliases) values ($1, $2, $3) returning id', [project, name, aliases])).rows[0].id);
}

/** Stores a document's text the way the collab server does (as the service). */
async function write(documentId: string, text: string) {
  await db.admin.query('update public.documents set plain_text = $2, word_count = $3 where id = $1', [documentId, text, text.split(/\s+/).filter(Boolean).length]);
}

async function chapter(project: string, title: string, text: string, position: number): Promise<string> {
  const { id } = await createDocument(db.pool, owner.claims, { projectId: project, parentId: null, kind: 'chapter', title });
  await db.admin.query('update public.documents set position = $2 where id = $1', [id, position]);
  await write(id, text);
  return id;
}

beforeAll(async () => {
  db = await testDatabase();
  const auth = embeddedAuth(db.pool);
  const label = (name: string) => signUp(auth, name, name[0]!.toUpperCase() + name.slice(1));
  [owner, editor, viewer, commenter, outsider] = await Promise.all([label('owner'), label('editor'), label('viewer'), label('commenter'), label('outsider')]);
  await db.admin.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [owner.userId]);
  templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = await newProject('Salt Roads');
  await joinProject(db.pool, owner, projectId, editor, 'editor');
  await joinProject(db.pool, owner, projectId, viewer, 'viewer');
  await joinProject(db.pool, owner, projectId, commenter, 'commenter');
});
afterAll(async () => db?.close());

describe('relationships', () => {
  it('joins two characters of the project, typed, with a custom label and a change point; stale writes conflict', async () => {
    const [zoe, lukasz] = [await character(projectId, 'Zoë'), await character(projectId, 'Łukasz')];
    const doc = await chapter(projectId, 'Turn', '', 50);
    const r = await createRelationship(db.pool, editor.claims, {
      projectId, fromId: zoe, toId: lukasz, kind: 'other', label: 'Sworn rivals', mutual: false, changesAtDocumentId: doc,
    });
    expect(r).toMatchObject({ kind: 'other', label: 'Sworn rivals', mutual: false, changesAtDocumentId: doc, version: 1 });
    const updated = await updateRelationship(db.pool, owner.claims, projectId, { relationshipId: r.id, version: 1, patch: { description: 'since the war' } });
    expect(updated.version).toBe(2);
    const stale = await updateRelationship(db.pool, editor.claims, projectId, { relationshipId: r.id, version: 1, patch: { description: 'mine' } }).catch((e) => e);
    expect(stale).toBeInstanceOf(StaleWrite);
    expect((stale as StaleWrite<{ description: string }>).current.description).toBe('since the war');

    const graph = (await getRelationshipGraph(db.pool, viewer.claims, projectId))!;
    expect(graph.canEdit).toBe(false);
    expect(graph.relationships.map((x) => x.id)).toEqual([r.id]);
    expect(graph.characters.map((c) => c.name)).toEqual(expect.arrayContaining(['Zoë', 'Łukasz']));
  });

  it('refuses a character of another project, self links, a missing custom label, and readers', async () => {
    const here = await character(projectId, 'Marta');
    const elsewhere = await character(await newProject('Elsewhere'), 'Stranger');
    expect((await refusal(createRelationship(db.pool, owner.claims, { projectId, fromId: here, toId: elsewhere, kind: 'ally' }))).message)
      .toBe('A relationship can only join characters of this project.');
    // also by direct SQL, past the command
    await expect(withUser(db.pool, owner.claims, (tx) => tx.query(
      `insert into public.character_relationships (project_id, character_id, related_character_id, kind) values ($1, $2, $3, 'ally')`,
      [projectId, here, elsewhere]))).rejects.toThrow(/same project/);
    expect((await refusal(createRelationship(db.pool, owner.claims, { projectId, fromId: here, toId: here, kind: 'ally' }))).kind).toBe('invalid');
    expect((await refusal(createRelationship(db.pool, owner.claims, { projectId, fromId: here, toId: elsewhere, kind: 'other' }))).message)
      .toBe('Name the custom relationship type.');
    const other = await character(projectId, 'Ines');
    for (const who of [viewer, commenter]) {
      expect((await refusal(createRelationship(db.pool, who.claims, { projectId, fromId: here, toId: other, kind: 'ally' }))).kind).toBe('forbidden');
    }
    const r = await createRelationship(db.pool, owner.claims, { projectId, fromId: here, toId: other, kind: 'family' });
    expect((await refusal(updateRelationship(db.pool, viewer.claims, projectId, { relationshipId: r.id, version: 1, patch: { kind: 'rival' } }))).kind).toBe('forbidden');
    expect((await refusal(deleteRelationship(db.pool, viewer.claims, projectId, { relationshipId: r.id }))).kind).toBe('forbidden');
    expect((await refusal(createRelationship(db.pool, owner.claims, { projectId, fromId: here, toId: other, kind: 'family' }))).kind).toBe('conflict');
    expect(await getRelationshipGraph(db.pool, outsider.claims, projectId)).toBeNull();
    // deleting a character takes its relationships along
    await db.admin.query('delete from public.characters where id = $1', [other]);
    expect((await db.admin.query('select count(*)::int as n from public.character_relationships where id = $1', [r.id])).rows[0].n).toBe(0);
  });
});

describe('locations and the timeline', () => {
  it('nests locations and never lets one become its own ancestor', async () => {
    const p = await newProject('Atlas');
    const poland = await createLocation(db.pool, owner.claims, { projectId: p, name: 'Poland', kind: 'country' });
    const gdansk = await createLocation(db.pool, owner.claims, { projectId: p, name: 'Gdańsk', kind: 'city', parentId: poland.id });
    const dock = await createLocation(db.pool, owner.claims, { projectId: p, name: 'Dock 4', kind: 'landmark', parentId: gdansk.id });
    const world = (await getWorld(db.pool, owner.claims, p))!;
    expect(world.locations.map((l) => [l.name, l.depth])).toEqual([['Poland', 0], ['Gdańsk', 1], ['Dock 4', 2]]);
    expect((await refusal(updateLocation(db.pool, owner.claims, p, { locationId: poland.id, version: 1, patch: { parentId: dock.id } }))).message)
      .toMatch(/cannot be placed inside itself/);
    // the database refuses it too, past the command
    await expect(db.admin.query('update public.locations set parent_id = $2 where id = $1', [poland.id, dock.id])).rejects.toThrow(/inside itself/);
    expect((await refusal(updateLocation(db.pool, owner.claims, p, { locationId: poland.id, version: 1, patch: { parentId: poland.id } }))).kind).toBe('invalid');
    const foreign = await createLocation(db.pool, owner.claims, { projectId, name: 'Elsewhere' });
    expect((await refusal(createLocation(db.pool, owner.claims, { projectId: p, name: 'X', parentId: foreign.id }))).message).toBe('That location is not in this project.');
    // deleting a parent lifts its places to the top level
    await deleteLocation(db.pool, owner.claims, p, { locationId: gdansk.id });
    expect((await getWorld(db.pool, owner.claims, p))!.locations.map((l) => [l.name, l.depth])).toEqual([['Dock 4', 0], ['Poland', 0]]);
  });

  it('orders events in story order and filters by location (with the places within) and by character', async () => {
    const p = await newProject('Chronicle');
    await joinProject(db.pool, owner, p, editor, 'editor');
    await joinProject(db.pool, owner, p, viewer, 'viewer');
    const [ada, ben] = [await character(p, 'Ada'), await character(p, 'Ben')];
    const land = await createLocation(db.pool, owner.claims, { projectId: p, name: 'Northland', kind: 'country' });
    const city = await createLocation(db.pool, owner.claims, { projectId: p, name: 'Port', kind: 'city', parentId: land.id });
    const sea = await createLocation(db.pool, owner.claims, { projectId: p, name: 'The Sea', kind: 'wilderness' });
    const e3 = await createEvent(db.pool, editor.claims, { projectId: p, locationId: sea.id, title: 'Wreck', sequence: 30, characterIds: [ada, ben] });
    const e1 = await createEvent(db.pool, editor.claims, { projectId: p, locationId: city.id, title: 'Arrival', sequence: 10, storyTime: 'Year 12', characterIds: [ada] });
    const e0 = await createEvent(db.pool, editor.claims, { projectId: p, locationId: land.id, title: 'Birth', sequence: 10, storyTime: 'Year 3' });
    const e4 = await createEvent(db.pool, editor.claims, { projectId: p, locationId: city.id, title: 'Return', characterIds: [ben] });
    expect(e4.sequence).toBe(40);
    const titles = async (filter: object = {}) => (await getTimeline(db.pool, viewer.claims, p, filter))!.events.map((e) => e.title);
    expect(await titles()).toEqual(['Birth', 'Arrival', 'Wreck', 'Return']);
    expect(await titles({ locationId: land.id })).toEqual(['Birth', 'Arrival', 'Return']);
    expect(await titles({ locationId: city.id })).toEqual(['Arrival', 'Return']);
    expect(await titles({ characterId: ada })).toEqual(['Arrival', 'Wreck']);
    expect(await titles({ characterId: ben, locationId: sea.id })).toEqual(['Wreck']);
    expect((await getTimeline(db.pool, viewer.claims, p))!.events[1]!.locationPath).toEqual(['Northland', 'Port']);

    // move Wreck first; changing only the cast still raises the version
    const moved = await updateEvent(db.pool, owner.claims, p, { eventId: e3.id, version: 1, patch: { sequence: 0 } });
    const recast = await updateEvent(db.pool, owner.claims, p, { eventId: e3.id, version: moved.version, patch: { characterIds: [ben] } });
    expect(recast.version).toBe(3);
    expect(recast.characterIds).toEqual([ben]);
    expect(await titles()).toEqual(['Wreck', 'Birth', 'Arrival', 'Return']);
    expect(await refusal(updateEvent(db.pool, editor.claims, p, { eventId: e3.id, version: 1, patch: { title: 'x' } }))).toBeInstanceOf(StaleWrite);
    expect((await refusal(createEvent(db.pool, viewer.claims, { projectId: p, locationId: sea.id, title: 'Nope' }))).kind).toBe('forbidden');
    expect((await refusal(createEvent(db.pool, owner.claims, { projectId: p, locationId: sea.id, title: 'Stranger', characterIds: [await character(projectId, 'Far')] }))).message)
      .toBe('An event can only involve characters of this project.');
    expect((await refusal(createEvent(db.pool, owner.claims, { projectId: p, locationId: sea.id, title: ' ' }))).kind).toBe('invalid');
    // a deleted character leaves the events, not a dangling link; a deleted location takes its events
    await db.admin.query('delete from public.characters where id = $1', [ada]);
    expect((await getTimeline(db.pool, owner.claims, p))!.events.find((e) => e.id === e1.id)!.characterIds).toEqual([]);
    await deleteLocation(db.pool, owner.claims, p, { locationId: sea.id });
    expect(await titles()).toEqual(['Birth', 'Arrival', 'Return']);
    await deleteEvent(db.pool, owner.claims, p, { eventId: e0.id });
    expect((await db.admin.query('select count(*)::int as n from public.location_event_characters where project_id = $1', [p])).rows[0].n).toBe(1);
  });
});

describe('mentions', () => {
  it('finds names and aliases in a seeded manuscript, per chapter and per character, and updates after an edit', async () => {
    const p = await newProject('Mentions');
    await joinProject(db.pool, owner, p, viewer, 'viewer');
    const zoe = await character(p, 'Zoë', ['Zo']);
    const lukasz = await character(p, 'Łukasz', ['Luke']);
    const quiet = await character(p, 'Never Named');
    await createLocation(db.pool, owner.claims, { projectId: p, name: 'Gdańsk', kind: 'city' });
    const one = await chapter(p, 'One', '"Zoë!" Łukasz called across Gdańsk. Zo\'s reply came late; Marek laughed, and Marek left.', 1);
    const two = await chapter(p, 'Two', 'Luke waited (Zoë slept). The boat from Marek was late.', 2);
    const three = await chapter(p, 'Three', 'Nobody came.', 3);
    const stored = await withService(db.pool, async (tx) => [await storeDocumentMentions(tx, one), await storeDocumentMentions(tx, two), await storeDocumentMentions(tx, three)]);
    expect(stored.map((s) => s!.mentions)).toEqual([4, 2, 0]);
    let overview = (await getMentionsOverview(db.pool, viewer.claims, p))!;
    const z = overview.characters.find((c) => c.character.id === zoe)!;
    expect([z.total, z.chapters.map((c) => [c.title, c.mentions]), z.first?.title, z.last?.title]).toEqual([3, [['One', 2], ['Two', 1]], 'One', 'Two']);
    // the template's own empty chapter and scene come first in reading order
    expect(overview.chapters.slice(-3).map((c) => [c.title, c.cast.map((x) => `${x.name}×${x.mentions}`)])).toEqual([
      ['One', ['Zoë×2', 'Łukasz×1']], ['Two', ['Łukasz×1', 'Zoë×1']], ['Three', []],
    ]);
    expect(overview.suggestions.unmentioned.map((c) => c.id)).toEqual([quiet]);
    expect(overview.suggestions.unknownNames).toEqual([{ name: 'Marek', mentions: 3, chapters: 2 }]);
    expect(overview.locations.map((l) => [l.name, l.total])).toEqual([['Gdańsk', 1]]);

    // unchanged text and names: nothing to recompute; an edit: only that chapter
    expect((await withService(db.pool, (tx) => storeDocumentMentions(tx, one)))!.skipped).toBe(true);
    await write(three, 'At last Łukasz spoke to Never Named.');
    expect((await withService(db.pool, (tx) => storeDocumentMentions(tx, three)))!.mentions).toBe(2);
    overview = (await getMentionsOverview(db.pool, viewer.claims, p))!;
    const l = overview.characters.find((c) => c.character.id === lukasz)!;
    expect([l.total, l.last?.title]).toEqual([3, 'Three']);
    expect(overview.suggestions.unmentioned).toEqual([]);

    // the names changed: a rescan picks "Marek" up as a character; viewers may not ask for one
    expect((await refusal(rescanProject(db.pool, viewer.claims, p))).kind).toBe('forbidden');
    await character(p, 'Marek');
    await rescanProject(db.pool, owner.claims, p);
    overview = (await getMentionsOverview(db.pool, viewer.claims, p))!;
    expect(overview.suggestions.unknownNames).toEqual([]);
    expect(overview.characters.find((c) => c.character.name === 'Marek')!.total).toBe(3);

    // readers cannot write mentions; deleting a document takes its mentions along
    await expect(withUser(db.pool, owner.claims, (tx) => tx.query('delete from public.document_mentions where project_id = $1', [p]))).rejects.toThrow(/permission denied/);
    await deleteDocument(db.pool, owner.claims, { documentId: one });
    expect((await db.admin.query('select count(*)::int as n from public.document_mentions where document_id = $1', [one])).rows[0].n).toBe(0);
    expect(await getMentionsOverview(db.pool, outsider.claims, p)).toBeNull();
  });
});

describe('the live feed', () => {
  it('announces relationship, location, event and scan changes to the project', async () => {
    const hub = new LiveHub(db.url);
    const p = await newProject('Live bible');
    const heard: LiveEvent[] = [];
    const stop = await hub.subscribe(p, (e) => heard.push(e));
    try {
      const [a, b] = [await character(p, 'A1'), await character(p, 'B1')];
      await createRelationship(db.pool, owner.claims, { projectId: p, fromId: a, toId: b, kind: 'ally' });
      const loc = await createLocation(db.pool, owner.claims, { projectId: p, name: 'Here' });
      await createEvent(db.pool, owner.claims, { projectId: p, locationId: loc.id, title: 'Now', characterIds: [a] });
      const doc = await chapter(p, 'C', 'A1 met B1.', 1);
      await withService(db.pool, (tx) => storeDocumentMentions(tx, doc));
      const want = ['characters', 'character_relationships', 'locations', 'location_events', 'location_event_characters', 'document_mention_scans'];
      const tables = () => new Set(heard.flatMap((e) => (e.kind === 'change' ? [e.change.table] : [])));
      const deadline = Date.now() + 5_000;
      while (!want.every((t) => tables().has(t)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect([...tables()]).toEqual(expect.arrayContaining(want));
    } finally {
      stop();
      await hub.close();
    }
  });
});
