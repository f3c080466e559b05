/**
 * The curated content of seed.sql, read the way the app reads it: as a signed-in user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, asService, attempt, createUser, openTestDatabase, type TestDatabase, type TestUser } from './fixtures';

interface TemplateDoc {
  title: string;
  kind: string;
  children?: TemplateDoc[];
  content?: { type: string; content?: { type: string }[] } | null;
}

const DOC_KINDS = ['folder', 'chapter', 'scene', 'screenplay', 'post', 'notes'];
const SCREENPLAY_NODES = ['sceneHeading', 'action', 'character', 'parenthetical', 'dialogue', 'transition', 'shot'];

let db: TestDatabase;
let reader: TestUser;

beforeAll(async () => {
  db = await openTestDatabase();
  reader = await createUser(db.pool, { name: 'reader' });
});

afterAll(async () => {
  await db?.close();
});

/** Title and kind of every document, depth first, children indented. */
function outline(docs: TemplateDoc[], depth = 0): string[] {
  return docs.flatMap((d) => [`${'  '.repeat(depth)}${d.kind}: ${d.title}`, ...outline(d.children ?? [], depth + 1)]);
}

function allDocs(docs: TemplateDoc[]): TemplateDoc[] {
  return docs.flatMap((d) => [d, ...allDocs(d.children ?? [])]);
}

describe('document templates', () => {
  it('are novel, screenplay and blog post, each with its starter documents', async () => {
    const { rows } = await as(db.pool, reader, (tx) =>
      tx.query<{ slug: string; kind: string; documents: TemplateDoc[] }>('select slug, kind, documents from public.document_templates order by slug'));
    const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r]));
    expect(Object.keys(bySlug)).toEqual(['blog-post', 'novel', 'screenplay']);

    expect(outline(bySlug.novel!.documents)).toEqual(['folder: Part One', '  chapter: Chapter 1', '    scene: Scene 1', 'notes: Notes']);
    expect(bySlug.screenplay!.documents[0]).toMatchObject({ kind: 'screenplay' });
    const screenplay = bySlug.screenplay!.documents[0]!.content!;
    expect(screenplay.type).toBe('doc');
    expect(screenplay.content![0]!.type).toBe('sceneHeading');
    expect(new Set(screenplay.content!.map((n) => n.type))).toEqual(new Set(SCREENPLAY_NODES));
    expect(outline(bySlug['blog-post']!.documents)).toEqual(['post: Untitled post']);
    expect(bySlug['blog-post']!.kind).toBe('blog_post');

    for (const row of rows) {
      for (const doc of allDocs(row.documents)) {
        expect(DOC_KINDS).toContain(doc.kind);
        if (doc.content) expect(doc.content.type).toBe('doc');
      }
    }
  });

  it('refuse a documents tree of the wrong shape, even from service_role', async () => {
    const insert = `insert into public.document_templates (slug, name, kind, documents) values ('bad', 'Bad', 'novel', $1)`;
    for (const documents of [
      [{ title: 'No kind' }],
      [{ title: 'Odd', kind: 'spreadsheet' }],
      [{ title: 'Nested', kind: 'folder', children: [{ kind: 'chapter' }] }],
      { title: 'Not a list', kind: 'chapter' },
    ]) {
      const outcome = await attempt(db.pool, 'service', insert, [JSON.stringify(documents)]);
      expect(outcome).toMatchObject({ ok: false, code: '23514' });
    }
    expect(await attempt(db.pool, 'service', insert, [JSON.stringify([{ title: 'Fine', kind: 'chapter', children: [] }])])).toMatchObject({ ok: true });
  });
});

describe('beat templates', () => {
  it('carry their real beats in order, each with a name, description, position and percent', async () => {
    const { rows } = await as(db.pool, reader, (tx) =>
      tx.query<{ slug: string; beats: { name: string; description: string; position: number; percent: number }[] }>(
        'select slug, beats from public.beat_templates order by slug'));
    const names = Object.fromEntries(rows.map((r) => [r.slug, r.beats.map((b) => b.name)]));
    expect(names['save-the-cat']).toEqual(['Opening Image', 'Theme Stated', 'Set-Up', 'Catalyst', 'Debate', 'Break into Two', 'B Story',
      'Fun and Games', 'Midpoint', 'Bad Guys Close In', 'All Is Lost', 'Dark Night of the Soul', 'Break into Three', 'Finale', 'Final Image']);
    expect(names['heros-journey']).toHaveLength(12);
    expect(names['heros-journey']![0]).toBe('Ordinary World');
    expect(names['heros-journey']![11]).toBe('Return with the Elixir');
    expect(names['story-circle']).toEqual(['You', 'Need', 'Go', 'Search', 'Find', 'Take', 'Return', 'Change']);
    expect(names['seven-point']).toEqual(['Hook', 'Plot Turn 1', 'Pinch 1', 'Midpoint', 'Pinch 2', 'Plot Turn 2', 'Resolution']);
    expect(names['three-act']).toContain('Inciting Incident');
    for (const row of rows) {
      expect(row.beats.map((b) => b.position)).toEqual(row.beats.map((_, i) => i + 1));
      for (const beat of row.beats) {
        expect(beat.description.length).toBeGreaterThan(5);
        expect(beat.percent).toBeGreaterThanOrEqual(0);
        expect(beat.percent).toBeLessThanOrEqual(100);
      }
    }
  });

  it('start a project\'s beat board', async () => {
    const owner = await createUser(db.pool, { name: 'plotter' });
    const board = await as(db.pool, owner, async (tx) => {
      const project = await tx.query<{ id: string }>(`insert into public.projects (user_id, title) values ($1, 'Plotted') returning id`, [owner.id]);
      await tx.query(
        `insert into public.story_beats (project_id, template_id, name, description, percent, act, position)
         select $1, t.id, b ->> 'name', b ->> 'description', (b ->> 'percent')::numeric, (b ->> 'act')::smallint, (b ->> 'position')::int
           from public.beat_templates t, jsonb_array_elements(t.beats) b where t.slug = 'story-circle'`,
        [project.rows[0]!.id],
      );
      return tx.query('select name from public.story_beats where project_id = $1 order by position', [project.rows[0]!.id]);
    });
    expect(board.rows.map((r) => r.name)).toEqual(['You', 'Need', 'Go', 'Search', 'Find', 'Take', 'Return', 'Change']);
  });

  it('refuse malformed beats', async () => {
    await expect(asService(db.pool, (tx) =>
      tx.query(`insert into public.beat_templates (slug, name, beats) values ('bad', 'Bad', '[{"name": "x", "position": 1, "percent": 150, "description": ""}]')`)))
      .rejects.toMatchObject({ code: '23514' });
  });
});
