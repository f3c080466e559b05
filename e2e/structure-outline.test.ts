import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@quire/db';
import { PHONE, LAPTOP } from './support/browser';
import { documentUrl, saveStatus, within } from './support/editor';
import { addSection, apiOf, chooseLink, openLive, outline, row, setUpTeam, shot, typeInto, words, type Team } from './support/structure';

/**
 * The Outline tab in real browsers: two co-writers build one outline and see each other's sections appear, move
 * sections by keyboard (announced) and by drag, collide on one card without losing text, watch a linked document's
 * words grow as the other types, and a viewer who can change nothing, in the page or through the API.
 */

let team: Team;
const path = () => `${team.projectUrl}/outline`;

beforeAll(async () => {
  team = await setUpTeam('ol', 'Harbour Lights');
}, 12 * 60_000);

afterAll(async () => team?.stop(), 60_000);

describe('the outline, shared live', () => {
  it('two co-writers build one outline and each sees the other\u2019s sections appear', async () => {
    const { ana, ben } = team;
    await ana.page.goto(path());
    await ana.page.getByTestId('create-outline').click();
    await ana.page.getByTestId('outline-studio').waitFor();
    await openLive(ana.page, path());
    await openLive(ben.page, path());

    await addSection(ana.page, 'Act I: The harbour', 'act');
    await within(2_000, () => outline(ben.page), (o) => o.join('|') === '1:Act I: The harbour', "Ben sees Ana's act");

    await row(ben.page, 'Act I: The harbour').getByTestId('add-child').click();
    await addSection(ben.page, 'The lamp goes dark', 'chapter');
    await within(2_000, () => outline(ana.page), (o) => o.join('|') === '1:Act I: The harbour|2:The lamp goes dark', "Ana sees Ben's chapter nested");

    await addSection(ana.page, 'Act II: The storm', 'act');
    await addSection(ana.page, 'The wreck', 'chapter');
    await within(2_000, () => outline(ben.page), (o) => o.length === 4, 'Ben has all four sections');
  }, 120_000);

  it('moves by keyboard (re-parent and reorder), announced, and the order survives a reload', async () => {
    const { ana, ben } = team;
    await row(ana.page, 'The wreck').focus();
    await ana.page.keyboard.press('Alt+ArrowRight');
    await within(3_000, () => outline(ana.page), (o) => o.join('|') === '1:Act I: The harbour|2:The lamp goes dark|1:Act II: The storm|2:The wreck', 'nested under Act II');
    await within(2_000, () => ana.page.getByTestId('announcer').innerText(), (t) => t === 'Moved “The wreck” into “Act II: The storm”, position 1 of 1.', 'the move is announced');
    // the keyboard stays on the moved section
    const focused = () => ana.page.evaluate(() => document.activeElement?.getAttribute('data-section-title') ?? null);
    await within(2_000, focused, (title) => title === 'The wreck', 'the keyboard stays on the moved section');
    await within(2_000, () => outline(ben.page), (o) => o.at(-1) === '2:The wreck', 'Ben sees the re-parent');

    await row(ana.page, 'Act II: The storm').focus();
    await ana.page.keyboard.press('Alt+ArrowUp');
    await within(3_000, () => outline(ana.page), (o) => o[0] === '1:Act II: The storm', 'Act II moved up with its chapter');
    await within(2_000, () => ana.page.getByTestId('announcer').innerText(), (t) => t === 'Moved “Act II: The storm” to the top level, position 1 of 2.', 'announced');
    await ana.page.reload();
    expect(await outline(ana.page)).toEqual(['1:Act II: The storm', '2:The wreck', '1:Act I: The harbour', '2:The lamp goes dark']);
    // and back by keyboard, out of and into a parent: Alt+← moves The wreck out after its act, Alt+→ nests it again
    await row(ana.page, 'The wreck').focus();
    await ana.page.keyboard.press('Alt+ArrowLeft');
    await within(3_000, () => outline(ana.page), (o) => o.join('|') === '1:Act II: The storm|1:The wreck|1:Act I: The harbour|2:The lamp goes dark', 'moved out');
    await ana.page.keyboard.press('Alt+ArrowRight');
    await within(3_000, () => outline(ana.page), (o) => o[1] === '2:The wreck', 'nested again, from the keyboard that stayed on it');
    await row(ana.page, 'Act I: The harbour').focus();
    await ana.page.keyboard.press('Alt+ArrowUp');
    await within(3_000, () => outline(ana.page), (o) => o[0] === '1:Act I: The harbour', 'Act I first again');
    await ana.page.reload();
    expect(await outline(ana.page)).toEqual(['1:Act I: The harbour', '2:The lamp goes dark', '1:Act II: The storm', '2:The wreck']);
  }, 120_000);

  it('drag and drop reorders and re-parents, and survives a reload', async () => {
    const { ana, ben } = team;
    await openLive(ana.page, path());
    // the lower half of a row nests the card inside it
    const target = row(ana.page, 'Act II: The storm');
    const box = (await target.boundingBox())!;
    await row(ana.page, 'The lamp goes dark').dragTo(target, { targetPosition: { x: 40, y: box.height - 6 } });
    await within(3_000, () => outline(ana.page), (o) => o.join('|') === '1:Act I: The harbour|1:Act II: The storm|2:The wreck|2:The lamp goes dark', 'dropped inside Act II');
    await within(2_000, () => ana.page.getByTestId('announcer').innerText(), (t) => t.startsWith('Moved “The lamp goes dark” into “Act II: The storm”'), 'the drop is announced');
    // the upper half places it before the row
    await row(ana.page, 'The lamp goes dark').dragTo(row(ana.page, 'The wreck'), { targetPosition: { x: 40, y: 4 } });
    const expected = '1:Act I: The harbour|1:Act II: The storm|2:The lamp goes dark|2:The wreck';
    await within(3_000, () => outline(ana.page), (o) => o.join('|') === expected, 'dropped before The wreck');
    await within(2_000, () => outline(ben.page), (o) => o.join('|') === expected, 'Ben sees the drops');
    await ana.page.reload();
    expect((await outline(ana.page)).join('|')).toBe(expected);
  }, 120_000);

  it('two writers editing one card get a visible conflict and neither loses text', async () => {
    const { ana, ben } = team;
    await openLive(ana.page, path());
    await openLive(ben.page, path());
    await row(ana.page, 'The wreck').getByTestId('section-title').click();
    await row(ben.page, 'The wreck').getByTestId('section-title').click();
    await ana.page.getByTestId('edit-body').fill('The ship breaks on the rocks below the light.');
    await ben.page.getByTestId('edit-body').fill('Mara swims out alone to reach the wreck.');
    await ana.page.getByTestId('save-card').click();
    await ana.page.getByTestId('card-editor').waitFor({ state: 'detached' });
    await ben.page.getByTestId('save-card').click();
    const conflict = ben.page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.getByTestId('conflict-theirs-body').innerText()).toBe('The ship breaks on the rocks below the light.');
    expect(await ben.page.getByTestId('edit-body').inputValue()).toBe('Mara swims out alone to reach the wreck.');
    await shot(ben.page, 'structure-conflict');
    // Ben keeps both: his line after Ana's, applied on top of her version
    await ben.page.getByTestId('edit-body').fill('The ship breaks on the rocks below the light. Mara swims out alone to reach the wreck.');
    await ben.page.getByTestId('save-card').click();
    await ben.page.getByTestId('card-editor').waitFor({ state: 'detached' });
    await within(2_000, () => row(ana.page, 'The wreck').getByTestId('section-summary').innerText(), (t) => t.endsWith('reach the wreck.'), "Ana sees Ben's merged synopsis");
  }, 120_000);

  it('shows a linked document\u2019s words against the target, live while a co-writer types, and exports Markdown', async () => {
    const { ana, ben, projectUrl, projectId } = team;
    await openLive(ana.page, path());
    const lamp = row(ana.page, 'The lamp goes dark');
    await chooseLink(lamp.getByTestId('section-link'), 'Scene 1');
    await within(3_000, () => lamp.getByTestId('section-document').count(), (n) => n === 1, 'linked');
    await lamp.getByTestId('section-target').fill('2500');
    await lamp.getByTestId('section-target').press('Enter');
    await within(3_000, () => lamp.getByTestId('word-meter').innerText(), (t) => /\/ 2,500 words/.test(t), 'target shown');

    // Ben writes 40 words in the linked scene; Ana's meter follows without a reload
    await typeInto(ben.page, await documentUrl(ben.page, projectUrl, 'Scene 1'), words(40, 'tide'));
    await within(15_000, () => saveStatus(ben.page), (s) => s === 'saved', "Ben's words are saved");
    await within(15_000, () => lamp.getByTestId('word-meter').innerText(), (t) => t.startsWith('40 / 2,500 words'), "Ana sees Ben's 40 words");

    await lamp.getByTestId('section-status').selectOption('drafting');
    const exportUrl = `/api/projects/${projectId}/outlines/${await ana.page.getByTestId('outline-studio').getAttribute('data-outline-id')}/export`;
    const markdown = await within(3_000, async () => {
      const response = await ana.page.request.get(exportUrl);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('text/markdown');
      return response.text();
    }, (text) => text.includes('Drafting'), 'the export has the new status');
    expect(markdown).toContain('## Act II: The storm');
    expect(markdown).toContain('### The lamp goes dark');
    expect(markdown).toContain('_Chapter · Drafting · 40 / 2500 words · text: Scene 1_');
    await ana.page.setViewportSize(LAPTOP);
    await shot(ana.page, 'structure-outline');
  }, 300_000); // opening the editor alone can take 90 s on a busy machine

  it('creates a document from a section and links it', async () => {
    const { ana, ben } = team;
    await openLive(ben.page, path());
    const wreck = row(ana.page, 'The wreck');
    await chooseLink(wreck.getByTestId('section-link'), '+ New document from this section');
    await within(3_000, () => wreck.getByTestId('section-document').innerText().catch(() => ''), (t) => t === 'The wreck', 'a document named after the section');
    await within(3_000, () => row(ben.page, 'The wreck').getByTestId('section-document').count(), (n) => n === 1, 'Ben sees the link');
  }, 60_000);

  it('a viewer sees the outline but cannot change it, in the page or through the API', async () => {
    const { ana, vic, projectId } = team;
    await openLive(vic.page, path());
    expect(await outline(vic.page)).toHaveLength(4);
    expect(await vic.page.getByTestId('add-section-form').count()).toBe(0);
    const wreck = row(vic.page, 'The wreck');
    expect(await wreck.getByTestId('section-title').isDisabled()).toBe(true);
    expect(await wreck.getByTestId('section-status').isDisabled()).toBe(true);
    expect(await wreck.getByTestId('section-target').isDisabled()).toBe(true);
    expect(await wreck.getByTestId('section-link').count()).toBe(0);
    expect(await wreck.getAttribute('draggable')).toBe('false');
    // keyboard moves do nothing for a viewer
    await wreck.focus();
    await vic.page.keyboard.press('Alt+ArrowLeft');
    await new Promise((r) => setTimeout(r, 500));
    expect((await outline(vic.page)).at(-1)).toBe('2:The wreck');

    const sectionId = (await wreck.getAttribute('data-section-id'))!;
    const api = apiOf(vic.page);
    const version = Number(await wreck.getAttribute('data-version'));
    expect((await api.patch(`/api/projects/${projectId}/sections/${sectionId}`, { version, patch: { title: 'Vic was here' } })).status()).toBe(403);
    expect((await api.post(`/api/projects/${projectId}/sections/${sectionId}/move`, { version, parentId: null, afterId: null })).status()).toBe(403);
    expect((await api.delete(`/api/projects/${projectId}/sections/${sectionId}`)).status()).toBe(403);
    await ana.page.reload();
    expect(await outline(ana.page)).toContain('2:The wreck');
    await vic.page.setViewportSize(PHONE);
    await vic.page.reload();
    await shot(vic.page, 'structure-outline-phone');
  }, 120_000);
  it('shows a generated outline\u2019s model, temperature and prompt read-only, and the API refuses to change them', async () => {
    const { ana, projectId, service } = team;
    // generated outlines come from the AI jobs, which have no screen yet: the rows are written as such a job would
    const databaseUrl = process.env.QUIRE_E2E_DATABASE_URL ?? service?.databaseUrl;
    if (!databaseUrl) throw new Error('set QUIRE_E2E_DATABASE_URL to the studio\u2019s database to seed a generated outline');
    const db = createPool(databaseUrl, { max: 1, applicationName: 'quire-e2e-structure' });
    let outlineId = '';
    try {
      const { rows } = await db.query(
        `insert into public.outlines (project_id, title, source, model, temperature, prompt, rank)
         values ($1, 'Generated plan', 'generated', 'gpt-4.1-mini', 0.7, 'Outline a lighthouse mystery in three acts.', 'b00') returning id`,
        [projectId],
      );
      outlineId = rows[0].id;
      await db.query(`insert into public.outline_sections (outline_id, project_id, kind, title) values ($1, $2, 'act', 'The keeper vanishes')`, [outlineId, projectId]);
    } finally {
      await db.end();
    }
    const generatedPath = `${path()}?outline=${outlineId}`;
    await openLive(ana.page, generatedPath);
    const generator = ana.page.getByTestId('generator');
    await generator.waitFor();
    expect(await generator.getByTestId('generator-model').innerText()).toBe('gpt-4.1-mini');
    expect(await generator.getByTestId('generator-temperature').innerText()).toBe('0.7');
    expect(await generator.getByTestId('generator-prompt').isVisible()).toBe(true);
    expect(await generator.getByTestId('generator-prompt').innerText()).toBe('Outline a lighthouse mystery in three acts.');
    // shown to the owner, who may edit everything else, with nothing to type into
    expect(await generator.locator('input, textarea, select, button, [contenteditable=true]').count()).toBe(0);
    expect(await row(ana.page, 'The keeper vanishes').getByTestId('section-title').isEnabled()).toBe(true);

    const api = apiOf(ana.page);
    const board = await (await api.get(`/api/projects/${projectId}/outlines/${outlineId}`)).json();
    expect(board.outline.generator).toEqual({ model: 'gpt-4.1-mini', temperature: 0.7, prompt: 'Outline a lighthouse mystery in three acts.' });
    for (const patch of [{ model: 'by hand' }, { temperature: 2 }, { prompt: 'Another prompt' }, { title: 'Renamed', prompt: 'Another prompt' }]) {
      const refused = await api.patch(`/api/projects/${projectId}/outlines/${outlineId}`, { version: board.outline.version, patch });
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error).toMatch(/read-only/);
    }
    await ana.page.reload();
    await generator.waitFor();
    expect(await generator.getByTestId('generator-model').innerText()).toBe('gpt-4.1-mini');
    expect(await generator.getByTestId('generator-prompt').innerText()).toBe('Outline a lighthouse mystery in three acts.');
    expect(await ana.page.locator('select[aria-label=Outline]').inputValue()).toBe(outlineId);
    await shot(ana.page, 'structure-outline-generated');
  }, 120_000);
});
