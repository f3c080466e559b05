import { randomUUID } from 'node:crypto';
import type { Pool } from '@quire/db/pool';
import { keysBetween } from '@quire/domain/structure';
import { random } from '../bible/manuscript';

/**
 * The structure benchmark's large project, written straight into the studio's database (as a superuser, so every
 * trigger runs but no policy is asked): 200 documents totalling 150,000 words; one outline of 1,000 sections five
 * levels deep (5 acts > 25 parts > 200 chapters, each linked to its document > 400 scenes > 370 beats); 40 beats on the
 * board, most linked to a chapter section or a document; a completed run of the checks holding 300 issue cards.
 */

export const SIZES = { documents: 200, words: 150_000, sections: 1_000, beats: 40, issues: 300 } as const;

export interface LargeProject {
  outlineId: string;
  /** every section in reading order with its depth */
  sections: Array<{ id: string; parentId: string | null; depth: number; title: string }>;
  beats: Array<{ id: string; act: number; name: string }>;
  words: number;
}

const VOCABULARY = ('the a of and to in was she he they had said with at on for not but as her his it that from by '
  + 'light water harbour salt road map quiet long night morning door window ship rope stone wind sea shore after before '
  + 'again never always still only across through between against toward keeper lamp tide storm').split(' ');

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

export async function seedLargeProject(pool: Pool, projectId: string, ownerId: string): Promise<LargeProject> {
  const rand = random(11);
  const client = await pool.connect();
  try {
    await client.query('begin');
    // 200 documents of 750 words each, after the template's own pages
    const perDocument = SIZES.words / SIZES.documents;
    const documentIds: string[] = [];
    const docs = { id: [] as string[], title: [] as string[], text: [] as string[], position: [] as number[] };
    for (let i = 0; i < SIZES.documents; i++) {
      const id = randomUUID();
      documentIds.push(id);
      docs.id.push(id);
      docs.title.push(`Chapter ${i + 1}`);
      docs.text.push(Array.from({ length: perDocument }, () => pick(rand, VOCABULARY)).join(' '));
      docs.position.push(100 + i);
    }
    await client.query(
      `insert into public.documents (id, project_id, user_id, kind, title, position, plain_text, word_count)
       select d.id, $1, $2, 'chapter', d.title, d.position, d.text, $6
         from unnest($3::uuid[], $4::text[], $5::text[], $7::int[]) as d (id, title, text, position)`,
      [projectId, ownerId, docs.id, docs.title, docs.text, perDocument, docs.position],
    );

    const outlineId = randomUUID();
    await client.query(`insert into public.outlines (id, project_id, user_id, title, rank) values ($1, $2, $3, 'The long plan', 'a0')`, [outlineId, projectId, ownerId]);

    // five levels, each written in one statement after its parents
    const sections: LargeProject['sections'] = [];
    const levels: Array<{ kind: string; label: string; perParent: number; limit?: number }> = [
      { kind: 'act', label: 'Act', perParent: 5 },
      { kind: 'part', label: 'Part', perParent: 5 },
      { kind: 'chapter', label: 'Chapter', perParent: 8 },
      { kind: 'scene', label: 'Scene', perParent: 2 },
      { kind: 'beat', label: 'Beat', perParent: 1, limit: SIZES.sections - 5 - 25 - 200 - 400 },
    ];
    let parents: Array<string | null> = [null];
    const byParent = new Map<string | null, string[]>();
    for (const [level, { kind, label, perParent, limit }] of levels.entries()) {
      const rows = { id: [] as string[], parent: [] as Array<string | null>, title: [] as string[], rank: [] as string[], document: [] as Array<string | null>, target: [] as Array<number | null>, summary: [] as string[] };
      for (const parent of parents) {
        const keys = keysBetween(null, null, perParent);
        for (let i = 0; i < perParent && (limit === undefined || rows.id.length < limit); i++) {
          const id = randomUUID();
          const n = rows.id.length;
          rows.id.push(id);
          rows.parent.push(parent);
          rows.title.push(`${label} ${n + 1}`);
          rows.rank.push(keys[i]!);
          rows.document.push(kind === 'chapter' ? documentIds[n]! : null);
          rows.target.push(kind === 'chapter' ? 500 + Math.floor(rand() * 600) : null);
          rows.summary.push(Array.from({ length: 12 + Math.floor(rand() * 20) }, () => pick(rand, VOCABULARY)).join(' '));
          byParent.set(parent, [...(byParent.get(parent) ?? []), id]);
          sections.push({ id, parentId: parent, depth: level + 1, title: rows.title.at(-1)! });
        }
      }
      await client.query(
        `insert into public.outline_sections (id, outline_id, project_id, user_id, parent_id, kind, title, summary, rank, document_id, target_word_count)
         select s.id, $1, $2, $3, s.parent, $4, s.title, s.summary, s.rank, s.document, s.target
           from unnest($5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::uuid[], $11::int[]) as s (id, parent, title, summary, rank, document, target)`,
        [outlineId, projectId, ownerId, kind, rows.id, rows.parent, rows.title, rows.summary, rows.rank, rows.document, rows.target],
      );
      parents = rows.id;
    }
    const chapters = sections.filter((s) => s.depth === 3);

    // 40 beats, eight per act, each at an ideal place; most linked to a chapter section, some to a document
    const beats: LargeProject['beats'] = [];
    const beatRows = { id: [] as string[], act: [] as number[], name: [] as string[], rank: [] as string[], percent: [] as number[], section: [] as Array<string | null>, document: [] as Array<string | null> };
    for (let act = 1; act <= 5; act++) {
      const keys = keysBetween(null, null, SIZES.beats / 5);
      for (let i = 0; i < SIZES.beats / 5; i++) {
        const n = beats.length;
        const id = randomUUID();
        const percent = Math.round(((n + 0.5) / SIZES.beats) * 1000) / 10;
        const link = rand();
        beats.push({ id, act, name: `Beat ${n + 1}` });
        beatRows.id.push(id);
        beatRows.act.push(act);
        beatRows.name.push(`Beat ${n + 1}`);
        beatRows.rank.push(keys[i]!);
        beatRows.percent.push(percent);
        beatRows.section.push(link < 0.6 ? chapters[Math.floor((n / SIZES.beats) * chapters.length)]!.id : null);
        beatRows.document.push(link >= 0.6 && link < 0.85 ? documentIds[Math.floor(rand() * documentIds.length)]! : null);
      }
    }
    await client.query(
      `insert into public.story_beats (id, project_id, user_id, act, name, rank, percent, outline_section_id, document_id)
       select b.id, $1, $2, b.act, b.name, b.rank, b.percent, b.section, b.document
         from unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::uuid[], $9::uuid[]) as b (id, act, name, rank, percent, section, document)`,
      [projectId, ownerId, beatRows.id, beatRows.act, beatRows.name, beatRows.rank, beatRows.percent, beatRows.section, beatRows.document],
    );

    // one completed run of the checks with 300 cards
    const { rows: run } = await client.query<{ id: string }>(
      `insert into public.plot_analyses (project_id, user_id, kind, status, source, summary, started_at, completed_at)
       values ($1, $2, 'structure', 'completed', 'checks', '300 findings', now(), now()) returning id`,
      [projectId, ownerId],
    );
    const severities = ['low', 'medium', 'high', 'critical'];
    const categories = ['pacing', 'structure', 'continuity', 'timeline', 'other'];
    const statuses = ['open', 'open', 'acknowledged', 'resolved', 'dismissed'];
    const issues = { severity: [] as string[], category: [] as string[], status: [] as string[], title: [] as string[], document: [] as Array<string | null>, section: [] as Array<string | null>, beat: [] as Array<string | null> };
    for (let i = 0; i < SIZES.issues; i++) {
      issues.severity.push(pick(rand, severities));
      issues.category.push(pick(rand, categories));
      issues.status.push(pick(rand, statuses));
      issues.title.push(`Finding ${i + 1}`);
      const chapter = i % 3 === 0 ? pick(rand, chapters) : null;
      issues.section.push(chapter?.id ?? null);
      issues.document.push(i % 3 === 1 ? pick(rand, documentIds) : null);
      issues.beat.push(i % 3 === 2 ? pick(rand, beats).id : null);
    }
    await client.query(
      `insert into public.plot_issues (analysis_id, project_id, severity, category, status, title, document_id, outline_section_id, beat_id)
       select $1, $2, i.severity, i.category, i.status, i.title, i.document, i.section, i.beat
         from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[]) as i (severity, category, status, title, document, section, beat)`,
      [run[0]!.id, projectId, issues.severity, issues.category, issues.status, issues.title, issues.document, issues.section, issues.beat],
    );
    await client.query('commit');
    await client.query('analyze public.documents, public.outline_sections, public.story_beats, public.plot_issues');

    // reading order, as the outline shows it
    const ordered: LargeProject['sections'] = [];
    const byId = new Map(sections.map((s) => [s.id, s]));
    const walk = (parent: string | null) => {
      for (const id of byParent.get(parent) ?? []) {
        ordered.push(byId.get(id)!);
        walk(id);
      }
    };
    walk(null);
    return { outlineId, sections: ordered, beats, words: SIZES.words };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
