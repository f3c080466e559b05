import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createPool, type Pool } from '@quire/db';
import { launchBrowser, newPerson, PHONE } from './support/browser';
import { createProject, documentUrl, invite, openEditor, phraseBox, SCREENSHOTS, within, type Person } from './support/editor';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';

/**
 * The story bible's world half in real browsers: two co-writers build a relationship graph, places and a timeline
 * together and see each other's changes live; a viewer who can change nothing, in the page or over HTTP; mentions
 * found in the text after an edit; and the name card in the editor.
 */

const PASSWORD = 'every name a place';
const stamp = Date.now().toString(36);
const people = {
  ana: { name: 'Ana Reyes', email: `ana-bw-${stamp}@example.com` },
  ben: { name: 'Ben Okafor', email: `ben-bw-${stamp}@example.com` },
  vic: { name: 'Vic Moreau', email: `vic-bw-${stamp}@example.com` },
};
const CAST: Array<[string, string[], string, string]> = [
  ['Zoë Marchetti', ['Zoë', 'Zo'], 'protagonist', 'A cartographer who maps coastlines nobody asked for.'],
  ['Łukasz Nowak', ['Łukasz'], 'deuteragonist', 'Harbour pilot; knows every shoal by its sound.'],
  ['Ines Duarte', ['Ines'], 'antagonist', 'Owns the salt concession and wants the map burned.'],
  ['Tomas Vale', ['Tomas'], 'mentor', 'Retired surveyor, Zoë’s teacher.'],
  ['Mara Lind', ['Mara'], 'supporting', ''], ['Oskar Brandt', ['Oskar'], 'supporting', ''], ['Hana Sato', ['Hana'], 'supporting', ''],
  ['Piet Claes', ['Piet'], 'minor', ''], ['Rosa Ortiz', ['Rosa'], 'minor', ''], ['Emil Berg', ['Emil'], 'minor', ''],
  ['Nadia Petrova', ['Nadia'], 'love_interest', ''], ['Felix Moreau', ['Felix'], 'minor', ''],
];

let service: Service | undefined;
let db: Pool;
let browser: Browser;
let ana: Person, ben: Person, vic: Person;
let projectUrl = '';
let projectId = '';
const ids = new Map<string, string>();

async function openLive(page: Page, url: string) {
  await page.goto(url);
  await page.locator('[data-testid=live-status][data-connected=true]').waitFor();
}

async function picture(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await new Promise((r) => setTimeout(r, 500));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

const tableRows = (page: Page) => page.locator('[data-testid=relationship-row]').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));

beforeAll(async () => {
  service = process.env.QUIRE_E2E_URL ? undefined : await startService();
  const url = process.env.QUIRE_E2E_URL ?? service!.url;
  db = createPool(process.env.QUIRE_E2E_DATABASE_URL ?? service!.databaseUrl, { max: 2, applicationName: 'e2e-bible' });
  browser = await launchBrowser();
  [ana, ben, vic] = await Promise.all([newPerson(browser, url), newPerson(browser, url), newPerson(browser, url)]);
  await signUp(ana.page, { ...people.ana, password: PASSWORD });
  await signUp(ben.page, { ...people.ben, password: PASSWORD });
  await signUp(vic.page, { ...people.vic, password: PASSWORD });
  projectUrl = await createProject(ana.page, 'The Salt Road', /Novel/);
  projectId = projectUrl.split('/').pop()!;
  await invite(ana.page, projectUrl, ben, people.ben, 'editor');
  await invite(ana.page, projectUrl, vic, people.vic, 'viewer');
  // the cast comes from the Characters screens; here it is seeded directly, as those screens would store it
  for (const [i, [name, aliases, role, summary]] of CAST.entries()) {
    const { rows } = await db.query('insert into public.characters (project_id, name, aliases, role, summary, position) values ($1, $2, $3, $4, $5, $6) returning id',
      [projectId, name, aliases, role, summary, i]);
    ids.set(name, rows[0].id);
  }
}, 12 * 60_000);

afterAll(async () => {
  await browser?.close();
  await db?.end();
  await service?.stop();
}, 60_000);

describe('the story bible, world half', () => {
  it('two co-writers build the relationship graph live; a stale edit is a visible conflict', async () => {
    await openLive(ana.page, `${projectUrl}/characters/graph`);
    await openLive(ben.page, `${projectUrl}/characters/graph`);
    await ben.page.getByTestId('view-table').click();

    await ana.page.getByTestId('add-relationship').click();
    await ana.page.getByTestId('rel-from').selectOption(ids.get('Zoë Marchetti')!);
    await ana.page.getByTestId('rel-to').selectOption(ids.get('Ines Duarte')!);
    await ana.page.getByTestId('rel-kind').selectOption('rival');
    await ana.page.getByTestId('rel-description').fill('The map against the concession.');
    await ana.page.getByTestId('rel-save').click();
    const started = Date.now();
    await within(5_000, () => tableRows(ben.page), (rows) => rows.some((r) => r.includes('Zoë Marchetti') && r.includes('Rivalry') && r.includes('Ines Duarte')), 'Ben sees the rivalry');
    expect(Date.now() - started).toBeLessThan(2_000);

    // Ben adds a custom one-way relationship; Ana's graph and table follow
    await ben.page.getByTestId('add-relationship').click();
    await ben.page.getByTestId('rel-from').selectOption(ids.get('Tomas Vale')!);
    await ben.page.getByTestId('rel-to').selectOption(ids.get('Zoë Marchetti')!);
    await ben.page.getByTestId('rel-kind').selectOption('other');
    await ben.page.getByTestId('rel-label').fill('Owes a debt to');
    await ben.page.getByTestId('rel-save').click();
    await ana.page.getByTestId('view-table').click();
    await within(5_000, () => tableRows(ana.page), (rows) => rows.some((r) => r.includes('Owes a debt to')), 'Ana sees the custom relationship');

    // both edit the rivalry from the same version: the second save is a conflict that shows the first one's text
    const rivalry = (page: Page) => page.locator('[data-testid=relationship-row]', { hasText: 'Rivalry' }).getByRole('button', { name: /^Edit/ });
    await rivalry(ana.page).click();
    await rivalry(ben.page).click();
    await ana.page.getByTestId('rel-description').fill('Ana: open war by chapter two.');
    await ana.page.getByTestId('rel-save').click();
    await ana.page.getByTestId('relationship-form').waitFor({ state: 'detached' });
    await ben.page.getByTestId('rel-description').fill('Ben: a cold truce.');
    await ben.page.getByTestId('rel-save').click();
    await ben.page.getByTestId('relationship-conflict').waitFor();
    expect(await ben.page.getByTestId('relationship-conflict').textContent()).toContain('Ana: open war by chapter two.');
    expect(await ben.page.getByTestId('rel-description').inputValue()).toBe('Ben: a cold truce.');
  });

  it('a viewer reads the graph but cannot change it, in the page or over HTTP', async () => {
    await openLive(vic.page, `${projectUrl}/characters/graph`);
    await vic.page.getByTestId('relationship-graph').locator('canvas').first().waitFor();
    expect(await vic.page.getByTestId('add-relationship').count()).toBe(0);
    await vic.page.getByTestId('view-table').click();
    expect(await vic.page.locator('[data-testid=relationship-row]').count()).toBe(2);
    expect(await vic.page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    const origin = new URL(vic.page.url()).origin;
    const post = await vic.page.request.post(`${origin}/api/projects/${projectId}/relationships`, {
      data: { fromId: ids.get('Mara Lind'), toId: ids.get('Oskar Brandt'), kind: 'family' },
      headers: { origin },
    });
    expect(post.status()).toBe(403);
    const location = await vic.page.request.post(`${origin}/api/projects/${projectId}/locations`, { data: { name: 'Nowhere' }, headers: { origin } });
    expect(location.status()).toBe(403);
  });

  it('builds places and a timeline together, filtered by place and character', async () => {
    await openLive(ana.page, `${projectUrl}/world`);
    await openLive(ben.page, `${projectUrl}/timeline`);
    const addPlace = async (name: string, kind: string, parent?: string) => {
      await ana.page.getByTestId('add-location').click();
      await ana.page.getByTestId('location-name').fill(name);
      await ana.page.getByTestId('location-kind').selectOption(kind);
      if (parent) await ana.page.getByTestId('location-parent').selectOption({ label: parent });
      await ana.page.getByTestId('location-save').click();
      await ana.page.locator('[data-testid=location-row]', { hasText: name }).waitFor();
    };
    await addPlace('Poland', 'country');
    await addPlace('Gdańsk', 'city', 'Poland');
    await addPlace('The Salt Flats', 'wilderness');
    // Ben's timeline learns of the places live and he adds events
    const addEvent = async (title: string, place: string, time: string, order: string, who: string[]) => {
      await ben.page.getByTestId('add-event').click();
      await ben.page.getByTestId('event-title').fill(title);
      await ben.page.getByTestId('event-location').selectOption({ label: place });
      await ben.page.getByTestId('event-time').fill(time);
      await ben.page.getByTestId('event-sequence').fill(order);
      for (const name of who) await ben.page.getByTestId('event-form').getByLabel(name).check();
      await ben.page.getByTestId('event-save').click();
      await ben.page.locator('[data-testid=timeline-event]', { hasText: title }).waitFor();
    };
    await within(5_000, () => ben.page.getByTestId('add-event').count(), (n) => n > 0, 'Ben can add events once a place exists');
    await addEvent('The survey begins', '\u00a0\u00a0Gdańsk', 'Spring, year 1', '10', ['Zoë Marchetti', 'Tomas Vale']);
    await addEvent('Concession signed', 'Poland', 'Winter, year 0', '5', ['Ines Duarte']);
    await addEvent('The flats flood', 'The Salt Flats', 'Autumn, year 1', '20', ['Zoë Marchetti', 'Łukasz Nowak']);
    const titles = (page: Page) => page.locator('[data-testid=timeline-event] h3').allTextContents();
    expect(await titles(ben.page)).toEqual(['Concession signed', 'The survey begins', 'The flats flood']);
    await ben.page.getByTestId('timeline-locationId').selectOption({ label: 'Poland' });
    await within(5_000, () => titles(ben.page), (t) => t.join('|') === 'Concession signed|The survey begins', 'Poland takes in Gdańsk');
    await ben.page.getByTestId('timeline-locationId').selectOption('');
    await ben.page.getByTestId('timeline-characterId').selectOption({ label: 'Zoë Marchetti' });
    await within(5_000, () => titles(ben.page), (t) => t.join('|') === 'The survey begins|The flats flood', 'the events with Zoë');
    await ben.page.getByTestId('timeline-characterId').selectOption('');
    await within(5_000, () => titles(ben.page), (t) => t.length === 3, 'the whole timeline again');
    // Ana's world shows the events per place, live
    await within(5_000, () => ana.page.locator('[data-testid=location-row]', { hasText: 'Gdańsk' }).textContent(), (t) => !!t?.includes('1 event'), 'Ana sees the event count');
    await picture(ben.page, 'bible-timeline');
    await ben.page.setViewportSize(PHONE);
    await picture(ben.page, 'bible-timeline-phone');
  });

  it('finds names in the text after an edit and shows a card for a name in the editor', async () => {
    const chapter = await documentUrl(ana.page, projectUrl, 'Chapter 1');
    await openEditor(ana.page, chapter);
    await ana.page.getByTestId('manuscript').click();
    await ana.page.keyboard.type('Zoë waited at the quay. "Łukasz!" she called, and Zo laughed; Piet watched from Gdańsk. Later, Marek came, then Marek left, and Marek slept.');
    await within(30_000, async () => {
      await ana.page.mouse.move(0, 0);
      const box = await phraseBox(ana.page, 'Łukasz');
      await ana.page.mouse.move(box.x, box.y);
      await new Promise((r) => setTimeout(r, 400));
      return ana.page.getByTestId('name-card').count();
    }, (n) => n > 0, 'the name card for Łukasz');
    expect(await ana.page.getByTestId('name-card').textContent()).toContain('Harbour pilot');
    await picture(ana.page, 'bible-name-card');

    // the worker scans the stored text: appearances and the suggestions follow
    await openLive(ben.page, `${projectUrl}/characters/mentions`);
    const zoe = () => ben.page.locator('[data-testid=appearance-row]', { hasText: 'Zoë Marchetti' }).locator('td').first().textContent();
    await within(60_000, zoe, (n) => n === '2', 'Zoë counted twice (name and alias)');
    await within(10_000, () => ben.page.getByTestId('mention-suggestions').textContent(), (t) => !!t?.includes('Marek'), 'Marek suggested');
  });

  it('draws a crowded graph readably', async () => {
    // a denser cast for the picture: every character tied to a few others
    const names = [...ids.keys()];
    const kinds = ['family', 'friend', 'ally', 'rival', 'mentor', 'romantic', 'colleague'];
    for (let i = 0; i < names.length; i++) {
      for (const step of [1, 3]) {
        const j = (i + step) % names.length;
        await db.query(`insert into public.character_relationships (project_id, character_id, related_character_id, kind) values ($1, $2, $3, $4) on conflict do nothing`,
          [projectId, ids.get(names[i]!), ids.get(names[j]!), kinds[(i + step) % kinds.length]]);
      }
    }
    await ana.page.setViewportSize({ width: 1280, height: 800 });
    await openLive(ana.page, `${projectUrl}/characters/graph`);
    await ana.page.getByTestId('relationship-graph').locator('canvas').first().waitFor();
    await new Promise((r) => setTimeout(r, 3_000));
    await picture(ana.page, 'bible-relationship-graph');
  });
});
