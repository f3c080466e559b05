import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createPool, type Pool } from '@quire/db';
import { LAPTOP, PHONE } from './support/browser';
import { documentUrl, openEditor, phraseBox, saveStatus, SCREENSHOTS, within } from './support/editor';
import { apiOf, createNovel, openLive, setUpTeam, shot, type Team } from './support/structure';

/**
 * The story bible's characters in real browsers, against the studio as the README starts it: two co-writers build a
 * cast and relationships and see each other's changes live, on a profile and on the graph, collide on one profile and
 * keep both texts; the graph filters by type, its table lists each tie, and both lead to the profiles; a portrait
 * goes through the storage subset and comes back as a thumbnail while a text file dressed as a PNG is refused; a
 * viewer can change nothing, in the page or over HTTP; the text is scanned for names and the profile shows where the
 * character appears; an arc is laid against the manuscript. It takes the bible's screenshots with sample data.
 */

let team: Team;
let db: Pool;
let chapterId = '';
const ids = new Map<string, string>();

/** Where the graph's canvas paints pixels of exactly this colour (their centre, in page coordinates), or null. */
function paintedAt(page: Page, rgb: [number, number, number]) {
  return page.getByTestId('relationship-graph').locator('canvas').first().evaluate((canvas: HTMLCanvasElement, [r, g, b]) => {
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0, sx = 0, sy = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b && pixels[i + 3] === 255) {
        n += 1;
        sx += (i / 4) % canvas.width;
        sy += Math.floor(i / 4 / canvas.width);
      }
    }
    if (n < 12) return null;
    const box = canvas.getBoundingClientRect();
    return { x: box.left + ((sx / n) * box.width) / canvas.width, y: box.top + ((sy / n) * box.height) / canvas.height };
  }, rgb);
}

const cards = (page: Page) => page.getByTestId('character-name').allTextContents();
const profileUrl = (name: string) => `${team.projectUrl}/characters/${ids.get(name)}`;
/** The graph as a screen reader hears it: how many characters and (shown) relationships it draws. */
const graphLabel = (page: Page) => page.getByTestId('relationship-graph').getAttribute('aria-label');
/** The type chips above the graph and the table, "on|off Label (count)". */
const legend = (page: Page) => page.getByRole('group', { name: 'Show relationship types' }).locator('label')
  .evaluateAll((chips) => chips.map((c) => `${c.querySelector('input')!.checked ? 'on' : 'off'} ${c.textContent!.trim()}`));
/** The relationship table as "from | type | to | direction", sorted: the order of rows is not what is tested. */
const relationshipRows = (page: Page) => page.getByTestId('relationship-row')
  .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent!.trim()).join(' | ')).sort());

/** A portrait painted in the page (a head and shoulders on a tinted ground), as PNG bytes. */
async function paintPortrait(page: Page, hue: number): Promise<Buffer> {
  const data = await page.evaluate((h) => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 800;
    const g = canvas.getContext('2d')!;
    const ground = g.createLinearGradient(0, 0, 640, 800);
    ground.addColorStop(0, `hsl(${h} 45% 78%)`);
    ground.addColorStop(1, `hsl(${(h + 40) % 360} 35% 48%)`);
    g.fillStyle = ground;
    g.fillRect(0, 0, 640, 800);
    // hair behind the head, the shoulders, the neck and face, a soft light from the left
    g.fillStyle = `hsl(${(h + 200) % 360} 30% 20%)`;
    g.beginPath();
    g.ellipse(320, 380, 165, 190, 0, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = `hsl(${(h + 180) % 360} 35% 30%)`;
    g.beginPath();
    g.ellipse(320, 820, 280, 250, 0, Math.PI, 2 * Math.PI);
    g.fill();
    const skin = `hsl(${25 + (h % 15)} 45% ${62 + (h % 12)}%)`;
    g.fillStyle = skin;
    g.fillRect(285, 470, 70, 110);
    g.beginPath();
    g.ellipse(320, 400, 118, 145, 0, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = `hsl(${(h + 200) % 360} 30% 20%)`;
    g.beginPath();
    g.ellipse(320, 300, 130, 75, 0, Math.PI, 2 * Math.PI);
    g.fill();
    const light = g.createRadialGradient(220, 250, 20, 220, 250, 520);
    light.addColorStop(0, 'rgba(255,255,255,0.25)');
    light.addColorStop(1, 'rgba(0,0,0,0.2)');
    g.fillStyle = light;
    g.fillRect(0, 0, 640, 800);
    return canvas.toDataURL('image/png').split(',')[1]!;
  }, hue);
  return Buffer.from(data, 'base64');
}

async function addCharacter(page: Page, name: string, role: string, summary: string) {
  await page.getByTestId('new-character-name').fill(name);
  await page.getByTestId('new-character-role').selectOption(role);
  await page.getByTestId('new-character-summary').fill(summary);
  await page.getByTestId('new-character-save').click();
  await page.locator('[data-testid=character-card]', { hasText: name }).waitFor();
  const href = await page.locator('[data-testid=character-card]', { hasText: name }).locator('a').getAttribute('href');
  ids.set(name, href!.split('/').pop()!);
}

beforeAll(async () => {
  team = await setUpTeam('bi', 'The Salt Road');
  db = createPool(process.env.QUIRE_E2E_DATABASE_URL ?? team.service!.databaseUrl, { max: 2, applicationName: 'e2e-bible' });
}, 12 * 60_000);

afterAll(async () => {
  await db?.end();
  await team?.stop();
}, 60_000);

describe('characters, shared live', () => {
  it('two co-writers build a cast and a relationship and see each other’s changes live', async () => {
    const { ana, ben, projectUrl } = team;
    await openLive(ana.page, `${projectUrl}/characters`);
    await openLive(ben.page, `${projectUrl}/characters`);
    expect(await ana.page.getByText('No characters yet').count()).toBe(1);

    await ana.page.getByTestId('add-character').click();
    await addCharacter(ana.page, 'Zoë Marchetti', 'protagonist', 'A cartographer who maps coastlines nobody asked for.');
    await within(5_000, () => cards(ben.page), (c) => c.includes('Zoë Marchetti'), 'Ben sees Zoë');
    await ben.page.getByTestId('add-character').click();
    await addCharacter(ben.page, 'Łukasz Nowak', 'deuteragonist', 'Harbour pilot; knows every shoal by its sound.');
    await addCharacter(ben.page, 'Ines Duarte', 'antagonist', 'Owns the salt concession and wants the map burned.');
    await within(5_000, () => cards(ana.page), (c) => c.length === 3, 'Ana sees the whole cast');

    // search by an accent-free spelling, then by role
    await ben.page.getByTestId('cast-search').fill('lukasz');
    expect(await cards(ben.page)).toEqual(['Łukasz Nowak']);
    await ben.page.getByTestId('cast-search').fill('');
    await ben.page.getByTestId('cast-role').selectOption('antagonist');
    expect(await cards(ben.page)).toEqual(['Ines Duarte']);
    await ben.page.getByTestId('cast-role').selectOption('');
    // keyboard: arrows move between cards, Enter opens one
    await ben.page.locator('[data-card-link]').first().focus();
    await ben.page.keyboard.press('ArrowRight');
    expect(await ben.page.evaluate(() => document.activeElement?.textContent)).toContain('Łukasz Nowak');

    // Ana fills in Zoë's profile; Ben, on the same profile, sees it
    await openLive(ana.page, profileUrl('Zoë Marchetti'));
    await openLive(ben.page, profileUrl('Zoë Marchetti'));
    await ana.page.getByTestId('edit-profile').click();
    await ana.page.getByTestId('profile-aliases').fill('Zoë, Zo');
    await ana.page.getByTestId('profile-traits').fill('stubborn, precise, seasick');
    await ana.page.getByTestId('profile-goal').fill('Finish the coast map before the concession is signed.');
    await ana.page.getByTestId('profile-tags').fill('crew, mapmakers');
    await ana.page.getByTestId('profile-save').click();
    await ana.page.getByTestId('profile-form').waitFor({ state: 'detached' });
    await within(5_000, () => ben.page.getByTestId('profile-aliases-shown').textContent(), (t) => t === 'Zoë · Zo', 'Ben sees the aliases');

    // both edit the goals from the same version: the second save shows the first one's text and keeps his own
    await ana.page.getByTestId('edit-profile').click();
    await ben.page.getByTestId('edit-profile').click();
    await ana.page.getByTestId('profile-goal').fill('Burn the concession’s charter before it is signed.');
    await ana.page.getByTestId('profile-save').click();
    await ana.page.getByTestId('profile-form').waitFor({ state: 'detached' });
    await ben.page.getByTestId('profile-goal').fill('Sail past the salt flats before the thaw.');
    await ben.page.getByTestId('profile-backstory').fill('Raised on a lighthouse.');
    await ben.page.getByTestId('profile-save').click();
    await ben.page.getByTestId('conflict').waitFor();
    expect(await ben.page.getByTestId('conflict-theirs').textContent()).toContain('Burn the concession’s charter before it is signed.');
    expect(await ben.page.getByTestId('profile-goal').inputValue()).toBe('Sail past the salt flats before the thaw.');
    await ben.page.getByTestId('profile-save').click();
    await ben.page.getByTestId('profile-form').waitFor({ state: 'detached' });
    await within(5_000, () => ana.page.getByTestId('profile-goals').textContent(), (t) => !!t?.includes('Sail past the salt flats before the thaw.'), 'Ana sees Ben’s goals applied on top');

    // a relationship made on the graph appears on the profile Ben has open
    await openLive(ana.page, `${projectUrl}/characters/graph`);
    await ana.page.getByTestId('add-relationship').click();
    await ana.page.getByTestId('rel-from').selectOption(ids.get('Zoë Marchetti')!);
    await ana.page.getByTestId('rel-to').selectOption(ids.get('Ines Duarte')!);
    await ana.page.getByTestId('rel-kind').selectOption('rival');
    await ana.page.getByTestId('rel-description').fill('The map against the concession.');
    await ana.page.getByTestId('rel-save').click();
    await within(5_000, () => ben.page.getByTestId('profile-relationships').textContent(), (t) => !!t?.includes('Ines Duarte'), 'Ben sees the rivalry');

    // with the graph open, Ben sees the next one arrive in the graph, its legend and the table, without a reload
    await openLive(ben.page, `${projectUrl}/characters/graph`);
    expect(await graphLabel(ben.page)).toMatch(/ 3 characters and 1 relationship\./);
    await ana.page.getByTestId('add-relationship').click();
    await ana.page.getByTestId('rel-from').selectOption(ids.get('Łukasz Nowak')!);
    await ana.page.getByTestId('rel-to').selectOption(ids.get('Ines Duarte')!);
    await ana.page.getByTestId('rel-kind').selectOption('enemy');
    await ana.page.getByTestId('rel-mutual').uncheck();
    await ana.page.getByTestId('rel-save').click();
    await within(5_000, () => graphLabel(ben.page), (t) => !!t?.includes(' 3 characters and 2 relationships'), 'Ben’s graph draws the enmity');
    expect(await legend(ben.page)).toEqual(['on Rivalry (1)', 'on Enmity (1)']);
    await ben.page.getByTestId('view-table').click();
    expect(await relationshipRows(ben.page)).toEqual(['Zoë Marchetti | Rivalry | Ines Duarte | Mutual', 'Łukasz Nowak | Enmity | Ines Duarte | One way'].sort());
  }, 180_000);

  it('a portrait comes back as a thumbnail; a text file dressed as a PNG is refused with a clear message', async () => {
    const { ana, ben, projectUrl } = team;
    await openLive(ana.page, profileUrl('Zoë Marchetti'));
    await ana.page.getByTestId('portrait-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('These are my notes, not a picture.\n'.repeat(20)) });
    await within(10_000, () => ana.page.getByTestId('portrait-error').textContent(), (t) => t === 'That file is not a JPEG, PNG, WebP or GIF picture.', 'the refusal');
    expect(await ana.page.getByTestId('portrait-display').count()).toBe(0);

    await ana.page.getByTestId('portrait-file').setInputFiles({ name: 'zoe.png', mimeType: 'image/png', buffer: await paintPortrait(ana.page, 28) });
    await ana.page.getByTestId('portrait-display').waitFor();
    expect(await ana.page.getByTestId('portrait-error').count()).toBe(0);
    // Ben's cast shows the thumbnail: a 256 px square the server made
    await openLive(ben.page, `${projectUrl}/characters`);
    const thumb = ben.page.locator('[data-testid=character-card]', { hasText: 'Zoë Marchetti' }).getByTestId('portrait-thumb');
    await within(5_000, () => thumb.evaluate((img: HTMLImageElement) => img.complete ? [img.naturalWidth, img.naturalHeight] : [0, 0]), (s) => s[0] === 256 && s[1] === 256, 'a 256 px thumbnail');
  }, 120_000);

  it('a viewer reads the cast but cannot change it, in the page or over HTTP', async () => {
    const { vic, projectUrl, projectId } = team;
    await openLive(vic.page, `${projectUrl}/characters`);
    expect(await cards(vic.page)).toHaveLength(3);
    expect(await vic.page.getByTestId('add-character').count()).toBe(0);
    await openLive(vic.page, profileUrl('Zoë Marchetti'));
    await vic.page.getByTestId('portrait-display').waitFor();
    for (const control of ['edit-profile', 'delete-character', 'portrait-upload', 'start-arc']) expect(await vic.page.getByTestId(control).count()).toBe(0);
    const api = apiOf(vic.page);
    const base = `/api/projects/${projectId}/characters`;
    const created = await api.post(base, { name: 'Intruder' });
    expect(created.status()).toBe(403);
    expect((await created.json()).error).toMatch(/Only the owner and editors/);
    const zoe = (await (await api.get(`${base}/${ids.get('Zoë Marchetti')}`)).json()).character;
    expect((await api.patch(`${base}/${zoe.id}`, { version: zoe.version, patch: { name: 'Nobody' } })).status()).toBe(403);
    expect((await api.delete(`${base}/${ids.get('Ines Duarte')}`)).status()).toBe(403);
    const portrait = await vic.page.request.post(`${base}/${ids.get('Ines Duarte')}/portrait`, {
      headers: { origin: new URL(vic.page.url()).origin },
      multipart: { version: '1', file: { name: 'x.png', mimeType: 'image/png', buffer: await paintPortrait(vic.page, 200) } },
    });
    expect(portrait.status()).toBe(403);
  }, 60_000);

  it('finds the names in the text after typing and shows the appearances and the in-editor card', async () => {
    const { ana, ben, projectUrl } = team;
    const chapter = await documentUrl(ana.page, projectUrl, 'Chapter 1');
    chapterId = chapter.split('/').pop()!;
    // Łukasz goes by his first name in the text
    const lukasz = (await (await apiOf(ana.page).get(`/api/projects/${team.projectId}/characters/${ids.get('Łukasz Nowak')}`)).json()).character;
    expect((await apiOf(ana.page).patch(`/api/projects/${team.projectId}/characters/${lukasz.id}`, { version: lukasz.version, patch: { aliases: ['Łukasz'] } })).status()).toBe(200);
    await openLive(ben.page, profileUrl('Zoë Marchetti'));
    await openEditor(ana.page, chapter);
    await ana.page.getByTestId('manuscript').click();
    await ana.page.keyboard.type('Zoë waited at the quay with the unfinished map. “Łukasz!” she called, and the pilot waved; Zo laughed. Ines Duarte watched from the salt office.');
    await within(15_000, () => saveStatus(ana.page), (s) => s === 'saved', 'the chapter saved');
    // the worker scans the stored text; Ben's open profile follows
    await within(60_000, () => ben.page.getByTestId('appearance').allTextContents(), (rows) => rows.some((r) => r.includes('Chapter 1') && r.includes('2×')), 'Zoë named twice (name and alias)');

    await within(30_000, async () => {
      await ana.page.mouse.move(0, 0);
      const box = await phraseBox(ana.page, 'Łukasz');
      await ana.page.mouse.move(box.x, box.y);
      await new Promise((r) => setTimeout(r, 400));
      return ana.page.getByTestId('name-card').count();
    }, (n) => n > 0, 'the name card for Łukasz');
    expect(await ana.page.getByTestId('name-card').textContent()).toContain('Harbour pilot');
  }, 180_000);

  it('lays an arc against the manuscript, live for the co-writer', async () => {
    const { ana, ben } = team;
    await openLive(ana.page, profileUrl('Zoë Marchetti'));
    await openLive(ben.page, profileUrl('Zoë Marchetti'));
    await ana.page.getByTestId('start-arc').click();
    await ana.page.getByTestId('arc-editor').waitFor();
    const stage = (n: number) => ana.page.getByTestId('stage-fields').nth(n);
    await stage(0).getByTestId('stage-title').fill('Maps only for herself');
    await stage(0).getByTestId('stage-link-type').selectOption('document');
    await stage(0).getByTestId('stage-link-target').selectOption(chapterId);
    await stage(0).getByTestId('stage-link-quote').fill('unfinished map');
    await ana.page.getByTestId('add-turn').click();
    await stage(1).getByTestId('stage-title').fill('Calls Łukasz for help');
    await stage(1).getByTestId('stage-link-type').selectOption('document');
    await stage(1).getByTestId('stage-link-target').selectOption(chapterId);
    await stage(1).getByTestId('stage-link-quote').fill('she called');
    await stage(2).getByTestId('stage-title').fill('Gives the map away');
    await ana.page.getByTestId('arc-save').click();
    await ana.page.getByTestId('arc-editor').waitFor({ state: 'detached' });
    await within(5_000, () => ben.page.getByTestId('arc-stage').allTextContents(), (s) => s.length === 3 && s[1]!.includes('Calls Łukasz for help'), 'Ben sees the arc');
    expect(await ben.page.getByTestId('arc-marker').count()).toBe(2);
    expect(await ben.page.getByTestId('arc-out-of-order').count()).toBe(0);
  }, 60_000);
});

describe('the relationship graph', () => {
  it('filters by type, lists each relationship with its type and direction, and opens profiles from the canvas and the table', async () => {
    const { ana } = team;
    // a project of its own, so the counts below are only this cast's
    const project = await createNovel(ana.page, 'The Graph');
    const base = `/api/projects/${project.split('/').pop()}`;
    const api = apiOf(ana.page);
    const cast = new Map<string, string>();
    // one role each: the canvas paints a character in its role's colour, which is how the test finds Tomas on it
    for (const [name, role] of [['Zoë Marchetti', 'protagonist'], ['Ines Duarte', 'antagonist'], ['Łukasz Nowak', 'deuteragonist'], ['Tomas Vale', 'mentor'], ['Oskar Brandt', 'supporting']]) {
      const created = await api.post(`${base}/characters`, { name, role });
      expect(created.status()).toBe(201);
      cast.set(name!, (await created.json()).character.id);
    }
    const ties: Array<[string, string, string, boolean, string?]> = [
      ['Tomas Vale', 'Zoë Marchetti', 'mentor', false], ['Zoë Marchetti', 'Łukasz Nowak', 'ally', true], ['Ines Duarte', 'Zoë Marchetti', 'rival', false],
      ['Ines Duarte', 'Oskar Brandt', 'colleague', true], ['Oskar Brandt', 'Łukasz Nowak', 'other', false, 'Owes money to'],
    ];
    for (const [from, to, kind, mutual, label] of ties) {
      expect((await api.post(`${base}/relationships`, { fromId: cast.get(from), toId: cast.get(to), kind, mutual, label })).status()).toBe(201);
    }

    await openLive(ana.page, `${project}/characters/graph`);
    await ana.page.getByTestId('relationship-graph').locator('canvas').first().waitFor();
    expect(await graphLabel(ana.page)).toMatch(/ 5 characters and 5 relationships\./);
    expect(await legend(ana.page)).toEqual(['on Alliance (1)', 'on Rivalry (1)', 'on Mentor (1)', 'on Colleagues (1)', 'on Custom (1)']);
    await ana.page.getByTestId('view-table').click();
    const all = [
      'Tomas Vale | Mentor | Zoë Marchetti | One way', 'Zoë Marchetti | Alliance | Łukasz Nowak | Mutual', 'Ines Duarte | Rivalry | Zoë Marchetti | One way',
      'Ines Duarte | Colleagues | Oskar Brandt | Mutual', 'Oskar Brandt | Owes money to | Łukasz Nowak | One way',
    ].sort();
    expect(await relationshipRows(ana.page)).toEqual(all);

    // hiding a type takes its line out of the table and the graph; the chip stays, unticked, to bring it back
    await ana.page.getByTestId('kind-rival').uncheck();
    expect(await relationshipRows(ana.page)).toEqual(all.filter((r) => !r.includes('Rivalry')));
    expect(await legend(ana.page)).toEqual(['on Alliance (1)', 'off Rivalry (1)', 'on Mentor (1)', 'on Colleagues (1)', 'on Custom (1)']);
    await ana.page.getByTestId('view-graph').click();
    expect(await graphLabel(ana.page)).toMatch(/ 5 characters and 4 relationships\./);
    expect(await ana.page.getByTestId('relationship-summary').innerText()).toBe('5 characters · 4 of 5 relationships shown');
    await ana.page.getByTestId('kind-rival').check();
    expect(await graphLabel(ana.page)).toMatch(/ 5 characters and 5 relationships\./);
    expect(await ana.page.getByTestId('relationship-summary').innerText()).toBe('5 characters · 5 relationships');

    // the canvas has no keyboard path of its own (the table is that path), so a pointer clicks Tomas where he is painted
    const mentorBlue: [number, number, number] = [0x03, 0x69, 0xa1]; // GraphCanvas's ROLE_COLOURS.mentor
    const tomas = await within(30_000, async () => {
      const first = await paintedAt(ana.page, mentorBlue);
      await new Promise((r) => setTimeout(r, 500));
      const second = await paintedAt(ana.page, mentorBlue);
      return first && second && Math.hypot(first.x - second.x, first.y - second.y) < 1 ? second : null;
    }, (at) => at !== null, 'Tomas settled on the canvas');
    await ana.page.mouse.click(tomas!.x, tomas!.y);
    await ana.page.waitForURL(`**/characters/${cast.get('Tomas Vale')}`);
    await within(10_000, () => ana.page.getByTestId('profile-name').textContent(), (t) => t === 'Tomas Vale', 'Tomas’s profile from the graph');

    // and from the table, by keyboard: the names are real links
    await openLive(ana.page, `${project}/characters/graph`);
    await ana.page.getByTestId('view-table').click();
    await ana.page.getByTestId('relationship-row').filter({ hasText: 'Colleagues' }).getByRole('link', { name: 'Oskar Brandt' }).focus();
    await ana.page.keyboard.press('Enter');
    await ana.page.waitForURL(`**/characters/${cast.get('Oskar Brandt')}`);
    await within(10_000, () => ana.page.getByTestId('profile-name').textContent(), (t) => t === 'Oskar Brandt', 'Oskar’s profile from the table');
  }, 180_000);
});

describe('the bible with sample data, for the docs', () => {
  it('takes the screenshots', async () => {
    const { ana, ben, vic, projectUrl, projectId } = team;
    // a fuller cast, their ties, places and events, seeded as the screens would store them
    const more: Array<[string, string[], string, string]> = [
      ['Tomas Vale', ['Tomas'], 'mentor', 'Retired surveyor, Zoë’s teacher.'],
      ['Mara Lind', ['Mara'], 'supporting', 'Runs the harbour tavern and hears everything.'],
      ['Oskar Brandt', ['Oskar'], 'supporting', 'Ines’s clerk, quietly on the other side.'],
      ['Nadia Petrova', ['Nadia'], 'love_interest', 'Botanist charting the salt marsh.'],
      ['Piet Claes', ['Piet'], 'minor', 'Ferryman.'],
    ];
    for (const [i, [name, aliases, role, summary]] of more.entries()) {
      const { rows } = await db.query('insert into public.characters (project_id, name, aliases, role, summary, position, tags) values ($1, $2, $3, $4, $5, $6, $7) returning id',
        [projectId, name, aliases, role, summary, 10 + i, i < 2 ? ['crew'] : []]);
      ids.set(name, rows[0].id);
    }
    const ties: Array<[string, string, string, string]> = [
      ['Tomas Vale', 'Zoë Marchetti', 'mentor', 'Taught her to read a coastline.'], ['Zoë Marchetti', 'Łukasz Nowak', 'ally', 'Pilot and mapmaker.'],
      ['Zoë Marchetti', 'Nadia Petrova', 'romantic', 'Met on the marsh.'], ['Ines Duarte', 'Oskar Brandt', 'colleague', ''],
      ['Oskar Brandt', 'Mara Lind', 'family', 'Siblings.'], ['Mara Lind', 'Łukasz Nowak', 'friend', ''], ['Piet Claes', 'Tomas Vale', 'friend', ''],
      ['Ines Duarte', 'Tomas Vale', 'enemy', 'An old survey dispute.'], ['Nadia Petrova', 'Mara Lind', 'friend', ''],
    ];
    for (const [from, to, kind, description] of ties) {
      await db.query('insert into public.character_relationships (project_id, character_id, related_character_id, kind, description) values ($1, $2, $3, $4, $5)',
        [projectId, ids.get(from), ids.get(to), kind, description]);
    }
    const place = async (name: string, kind: string, parent: string | null) =>
      (await db.query('insert into public.locations (project_id, name, kind, parent_id) values ($1, $2, $3, $4) returning id', [projectId, name, kind, parent])).rows[0].id as string;
    const coast = await place('The Amber Coast', 'region', null);
    const port = await place('Port Sel', 'town', coast);
    const flats = await place('The Salt Flats', 'wilderness', coast);
    const events: Array<[string, string, string, number, string[], string]> = [
      ['The concession is signed', port, 'Winter, year 0', 5, ['Ines Duarte', 'Oskar Brandt'], 'The harbour council sells the salt rights for forty years.'],
      ['The survey begins', port, 'Spring, year 1', 10, ['Zoë Marchetti', 'Tomas Vale'], 'Tomas lends Zoë his old theodolite.'],
      ['Lost in the fog', flats, 'Summer, year 1', 15, ['Zoë Marchetti', 'Łukasz Nowak'], 'Łukasz steers them home by the sound of the shoals.'],
      ['The flats flood', flats, 'Autumn, year 1', 20, ['Zoë Marchetti', 'Nadia Petrova', 'Łukasz Nowak'], 'The spring tide takes the survey markers.'],
      ['The map is burned', port, 'Winter, year 1', 30, ['Ines Duarte', 'Zoë Marchetti'], ''],
    ];
    for (const [title, location, time, sequence, who, description] of events) {
      const { rows } = await db.query('insert into public.location_events (project_id, location_id, title, story_time, sequence, description) values ($1, $2, $3, $4, $5, $6) returning id',
        [projectId, location, title, time, sequence, description]);
      for (const name of who) await db.query('insert into public.location_event_characters (event_id, character_id, project_id) values ($1, $2, $3)', [rows[0].id, ids.get(name), projectId]);
    }
    // portraits for most of the cast, through the API as Ana
    const api = (page: Page) => ({ origin: new URL(page.url()).origin });
    for (const [i, name] of ['Łukasz Nowak', 'Ines Duarte', 'Tomas Vale', 'Mara Lind', 'Nadia Petrova'].entries()) {
      const response = await ana.page.request.post(`/api/projects/${projectId}/characters/${ids.get(name)}/portrait`, {
        headers: api(ana.page),
        multipart: { version: String((await db.query('select version from public.characters where id = $1', [ids.get(name)])).rows[0].version), file: { name: 'p.png', mimeType: 'image/png', buffer: await paintPortrait(ana.page, (i * 67 + 190) % 360) } },
      });
      expect(response.status()).toBe(200);
    }
    await db.query(`update public.characters set personality = $2, backstory = $3 where id = $1`, [ids.get('Zoë Marchetti'),
      'Patient with coastlines, impatient with people. Counts things when she is nervous.',
      'Grew up above her father’s chandlery in Port Sel; learned surveying from Tomas Vale after the storm that took the old charts.']);

    await ben.page.setViewportSize(LAPTOP);
    await openLive(ben.page, profileUrl('Zoë Marchetti'));
    await ben.page.getByTestId('portrait-display').waitFor();
    await shot(ben.page, 'bible-character-profile');

    await openLive(ben.page, `${projectUrl}/characters/graph`);
    await ben.page.getByTestId('relationship-graph').locator('canvas').first().waitFor();
    await new Promise((r) => setTimeout(r, 3_000));
    await shot(ben.page, 'bible-relationship-graph');

    await openLive(ben.page, `${projectUrl}/timeline`);
    await ben.page.locator('[data-testid=timeline-event]').first().waitFor();
    await shot(ben.page, 'bible-timeline');

    await vic.page.setViewportSize(PHONE);
    await openLive(vic.page, `${projectUrl}/characters`);
    await within(5_000, () => cards(vic.page), (c) => c.length === 8, 'the whole cast');
    await shot(vic.page, 'bible-characters-phone');
    await openLive(vic.page, profileUrl('Zoë Marchetti'));
    await vic.page.getByTestId('portrait-display').waitFor();
    await shot(vic.page, 'bible-character-profile-phone');
    await openLive(vic.page, `${projectUrl}/characters/graph`);
    await vic.page.getByTestId('relationship-graph').locator('canvas').first().waitFor();
    // the layout settles and then zooms to fit; a busy machine needs longer than the laptop shot above
    await new Promise((r) => setTimeout(r, 5_000));
    await shot(vic.page, 'bible-relationship-graph-phone');
    await openLive(vic.page, `${projectUrl}/timeline`);
    await within(10_000, () => vic.page.getByTestId('timeline-event').count(), (n) => n === 5, 'the five events');
    await shot(vic.page, 'bible-timeline-phone');

    // the card in the editor, over a name in the chapter typed earlier
    const chapter = await documentUrl(ana.page, projectUrl, 'Chapter 1');
    await openEditor(ana.page, chapter);
    await within(30_000, async () => {
      await ana.page.mouse.move(0, 0);
      const box = await phraseBox(ana.page, 'Łukasz');
      await ana.page.mouse.move(box.x, box.y);
      await new Promise((r) => setTimeout(r, 400));
      return ana.page.getByTestId('name-card').count();
    }, (n) => n > 0, 'the name card for Łukasz');
    await within(10_000, () => ana.page.getByTestId('name-card').locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), (ok) => ok, 'the card’s thumbnail');
    await new Promise((r) => setTimeout(r, 300));
    await ana.page.screenshot({ path: path.join(SCREENSHOTS, 'bible-editor-card.png') });
  }, 240_000);
});
