import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser } from '@quire/db/session';
import { deleteProject } from '../src/server/projects';
import { deleteDocument } from '../src/server/documents';
import { createOutline, createSection, deleteSection, updateSection } from '../src/server/structure/outlines';
import { StaleWrite } from '../src/server/structure/versioned';
import { applyTemplate, createBeat, getBeatBoard, updateBeat } from '../src/server/structure/beats';
import { createIssue, getPlotBoard, requestStructureChecks, runStructureChecks, updateIssue } from '../src/server/structure/plot';
import { closeJobConnections } from '@quire/db/jobs';
import { LiveHub, type LiveEvent } from '../src/server/live/hub';
import { type StructureFixture, refusal, structureFixture } from './structure-fixture';

/** The structure studio's plot issue cards and the deterministic checks, cascades, and the live feed (real Postgres). */

let f: StructureFixture;
let db: StructureFixture['db'];
let owner: StructureFixture['owner'], editor: StructureFixture['owner'], viewer: StructureFixture['owner'];
let projectId: string;
const newProject = (title: string) => f.newProject(title);
const chapter = (project: string, title: string, words: number) => f.chapter(project, title, words);
const join = (project: string, who: StructureFixture['owner'], role: 'editor' | 'commenter' | 'viewer') => f.join(project, who, role);

beforeAll(async () => {
  f = await structureFixture();
  ({ db, owner, editor, viewer, projectId } = f);
});
afterAll(async () => f?.db.close());

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

describe('running the checks on demand', () => {
  it('queues a run for the worker as the caller (writers only), and the Plot tab shows it under way', async () => {
    const project = await newProject('Queued');
    await join(project, viewer, 'viewer');
    expect((await refusal(requestStructureChecks(db.pool, viewer.claims, project))).kind).toBe('forbidden');
    const { analysisId } = await requestStructureChecks(db.pool, owner.claims, project);
    expect((await getPlotBoard(db.pool, viewer.claims, project))!.latestChecks).toMatchObject({ id: analysisId, status: 'queued' });
    const job = await db.admin.query(`select data from pgboss.job where name = 'plot-checks' and data ->> 'analysisId' = $1`, [analysisId]);
    expect(job.rowCount).toBe(1);
    await closeJobConnections();
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
