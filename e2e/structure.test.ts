import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson, PHONE } from './support/browser';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';

/**
 * The structure studio in real browsers: two co-writers build an outline and a beat board together and see each
 * other's changes live, collide on one card without losing text, move sections by keyboard and by drag, and a viewer
 * who can change nothing, in the page or by calling the API.
 */

const SCREENSHOTS = process.env.QUIRE_E2E_URL
  ? path.join(os.tmpdir(), 'quire-structure-screenshots')
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const PASSWORD = 'a map of every harbour';
const stamp = Date.now().toString(36);
const people = {
  ana: { name: 'Ana Reyes', email: `ana-st-${stamp}@example.com` },
  ben: { name: 'Ben Okafor', email: `ben-st-${stamp}@example.com` },
  vic: { name: 'Vic Moreau', email: `vic-st-${stamp}@example.com` },
};

interface Person {
  context: BrowserContext;
  page: Page;
}

let service: Service | undefined;
let browser: Browser;
let ana: Person;
let ben: Person;
let vic: Person;
let projectUrl = '';

async function shot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function within<T>(ms: number, probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

/** The outline as each page shows it: "depth:title" in reading order. */
function outline(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid=outline-section]')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-depth')}:${r.getAttribute('data-section-title')}`));
}

function beats(page: Page): Promise<string[]> {
  return page.locator('[data-testid=beat-card]').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-act')}:${c.getAttribute('data-beat-name')}`));
}

function row(page: Page, title: string) {
  return page.locator(`[data-testid=outline-section][data-section-title="${title}"]`);
}

async function openLive(page: Page, url: string) {
  await page.goto(url);
  await page.locator('[data-testid=live-status][data-connected=true]').waitFor();
}

async function addSection(page: Page, title: string, kind: string) {
  await page.getByTestId('new-section-title').fill(title);
  await page.getByTestId('new-section-kind').selectOption(kind);
  await page.getByTestId('add-section').click();
  await row(page, title).waitFor();
}

async function invite(owner: Page, project: string, invitee: Person, email: string, role: string) {
  await owner.goto(`${project}/members`);
  await owner.locator('#invite-email').fill(email);
  await owner.locator('#invite-role').selectOption(role);
  await owner.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await owner.getByTestId('invitation-link').inputValue();
  await invitee.page.goto(new URL(link).pathname);
  await invitee.page.getByRole('button', { name: 'Accept invitation' }).click();
  await invitee.page.getByTestId('document-tree').waitFor();
}

beforeAll(async () => {
  const url = process.env.QUIRE_E2E_URL ?? (service = await startService()).url;
  browser = await launchBrowser();
  [ana, ben, vic] = await Promise.all([newPerson(browser, url), newPerson(browser, url), newPerson(browser, url)]);
  await signUp(ana.page, { ...people.ana, password: PASSWORD });
  await signUp(ben.page, { ...people.ben, password: PASSWORD });
  await signUp(vic.page, { ...people.vic, password: PASSWORD });
  await ana.page.goto('/projects');
  await ana.page.getByLabel('Title').fill('Harbour Lights');
  await ana.page.locator('label').filter({ hasText: /Novel/ }).first().click();
  await ana.page.getByRole('button', { name: 'Create project' }).click();
  await ana.page.getByTestId('document-tree').waitFor();
  projectUrl = new URL(ana.page.url()).pathname;
  await invite(ana.page, projectUrl, ben, people.ben.email, 'editor');
  await invite(ana.page, projectUrl, vic, people.vic.email, 'viewer');
}, 12 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
}, 60_000);

describe('the outline, shared live', () => {
  it('two co-writers build one outline and each sees the other\u2019s sections appear', async () => {
    await ana.page.goto(`${projectUrl}/outline`);
    await ana.page.getByRole('link', { name: 'Outline' }).waitFor();
    await ana.page.getByTestId('create-outline').click();
    await ana.page.getByTestId('outline-studio').waitFor();
    await openLive(ana.page, `${projectUrl}/outline`);
    await openLive(ben.page, `${projectUrl}/outline`);

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
    const wreck = row(ana.page, 'The wreck');
    await wreck.focus();
    await ana.page.keyboard.press('Alt+ArrowRight');
    await within(3_000, () => outline(ana.page), (o) => o.join('|') === '1:Act I: The harbour|2:The lamp goes dark|1:Act II: The storm|2:The wreck', 'nested under Act II');
    expect(await ana.page.getByTestId('announcer').innerText()).toMatch(/Moved “The wreck” into “Act II: The storm”, position 1 of 1/);
    await within(2_000, () => outline(ben.page), (o) => o.at(-1) === '2:The wreck', 'Ben sees the re-parent');

    await row(ana.page, 'Act II: The storm').focus();
    await ana.page.keyboard.press('Alt+ArrowUp');
    await within(3_000, () => outline(ana.page), (o) => o[0] === '1:Act II: The storm', 'Act II moved up with its chapter');
    await ana.page.reload();
    expect(await outline(ana.page)).toEqual(['1:Act II: The storm', '2:The wreck', '1:Act I: The harbour', '2:The lamp goes dark']);
    // and back, so the acts read in order
    await row(ana.page, 'Act I: The harbour').focus();
    await ana.page.keyboard.press('Alt+ArrowUp');
    await within(3_000, () => outline(ana.page), (o) => o[0] === '1:Act I: The harbour', 'Act I first again');
  }, 120_000);

  it('drag and drop reorders and re-parents, and survives a reload', async () => {
    await openLive(ana.page, `${projectUrl}/outline`);
    // the lower half of a row nests the card inside it
    const target = row(ana.page, 'Act II: The storm');
    const box = (await target.boundingBox())!;
    await row(ana.page, 'The lamp goes dark').dragTo(target, { targetPosition: { x: 40, y: box.height - 6 } });
    await within(3_000, () => outline(ana.page), (o) => o.join('|') === '1:Act I: The harbour|1:Act II: The storm|2:The wreck|2:The lamp goes dark', 'dropped inside Act II');
    // the upper half places it before the row
    await row(ana.page, 'The lamp goes dark').dragTo(row(ana.page, 'The wreck'), { targetPosition: { x: 40, y: 4 } });
    await within(3_000, () => outline(ana.page), (o) => o.join('|') === '1:Act I: The harbour|1:Act II: The storm|2:The lamp goes dark|2:The wreck', 'dropped before The wreck');
    await within(2_000, () => outline(ben.page), (o) => o.join('|') === '1:Act I: The harbour|1:Act II: The storm|2:The lamp goes dark|2:The wreck', 'Ben sees the drops');
    await ana.page.reload();
    expect(await outline(ana.page)).toEqual(['1:Act I: The harbour', '1:Act II: The storm', '2:The lamp goes dark', '2:The wreck']);
  }, 120_000);

  it('two writers editing one card get a visible conflict and neither loses text', async () => {
    await openLive(ana.page, `${projectUrl}/outline`);
    await openLive(ben.page, `${projectUrl}/outline`);
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

  it('shows a linked chapter\u2019s words against the target and exports Markdown', async () => {
    const lamp = row(ana.page, 'The lamp goes dark');
    await lamp.getByTestId('section-link').selectOption({ label: 'Chapter 1' });
    await within(3_000, () => lamp.getByTestId('section-document').count(), (n) => n === 1, 'linked');
    await lamp.getByTestId('section-target').fill('2500');
    await lamp.getByTestId('section-target').blur();
    await within(3_000, () => lamp.getByTestId('word-meter').innerText(), (t) => /\/ 2,500 words/.test(t), 'target shown');
    await within(3_000, () => row(ben.page, 'The lamp goes dark').getByTestId('word-meter').innerText(), (t) => /\/ 2,500 words/.test(t), 'Ben sees the target');
    await lamp.getByTestId('section-status').selectOption('drafting');
    const exportUrl = `/api/projects/${projectUrl.split('/').pop()}/outlines/${await ana.page.getByTestId('outline-studio').getAttribute('data-outline-id')}/export`;
    const markdown = await within(3_000, async () => {
      const response = await ana.page.request.get(exportUrl);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('text/markdown');
      return response.text();
    }, (text) => text.includes('Drafting'), 'the export has the new status');
    expect(markdown).toContain('## Act II: The storm');
    expect(markdown).toContain('### The lamp goes dark');
    expect(markdown).toMatch(/_Chapter · Drafting · \d+ \/ 2500 words · text: Chapter 1_/);
    await ana.page.setViewportSize({ width: 1280, height: 800 });
    await shot(ana.page, 'structure-outline');
  }, 120_000);

  it('a viewer sees the outline but cannot change it, in the page or through the API', async () => {
    await openLive(vic.page, `${projectUrl}/outline`);
    expect(await outline(vic.page)).toHaveLength(4);
    expect(await vic.page.getByTestId('add-section-form').count()).toBe(0);
    expect(await row(vic.page, 'The wreck').getByTestId('section-title').isDisabled()).toBe(true);
    expect(await row(vic.page, 'The wreck').getByTestId('section-status').isDisabled()).toBe(true);
    expect(await row(vic.page, 'The wreck').getAttribute('draggable')).toBe('false');
    const sectionId = (await row(vic.page, 'The wreck').getAttribute('data-section-id'))!;
    const projectId = projectUrl.split('/').pop()!;
    const origin = new URL(vic.page.url()).origin;
    const patch = await vic.page.request.patch(`/api/projects/${projectId}/sections/${sectionId}`, {
      headers: { origin },
      data: { version: Number(await row(vic.page, 'The wreck').getAttribute('data-version')), patch: { title: 'Vic was here' } },
    });
    expect(patch.status()).toBe(403);
    const remove = await vic.page.request.delete(`/api/projects/${projectId}/sections/${sectionId}`, { headers: { origin } });
    expect(remove.status()).toBe(403);
    await ana.page.reload();
    expect(await outline(ana.page)).toContain('2:The wreck');
    await vic.page.setViewportSize(PHONE);
    await shot(vic.page, 'structure-outline-phone');
  }, 120_000);
});

describe('the beat board, shared live', () => {
  it('a template applied by one writer appears for the other; moves between acts are live and survive reload', async () => {
    await openLive(ana.page, `${projectUrl}/beats`);
    await openLive(ben.page, `${projectUrl}/beats`);
    await ana.page.getByTestId('template-select').selectOption({ label: 'Save the Cat (15 beats)' });
    await ana.page.getByTestId('apply-template').click();
    const expected = await within(3_000, () => beats(ben.page), (b) => b.length === 15, 'Ben sees 15 beats');
    expect(expected.slice(0, 3)).toEqual(['1:Opening Image', '1:Theme Stated', '1:Set-Up']);
    expect(expected.at(-1)).toBe('3:Final Image');

    const midpoint = ben.page.locator('[data-testid=beat-card][data-beat-name="Midpoint"]');
    await midpoint.focus();
    await ben.page.keyboard.press('Alt+ArrowRight');
    await within(3_000, () => beats(ana.page), (b) => b.includes('3:Midpoint'), 'Ana sees Midpoint in act 3');
    await ana.page.locator('[data-testid=beat-card][data-beat-name="Midpoint"]').dragTo(ana.page.locator('[data-testid=beat-card][data-beat-name="Bad Guys Close In"]'));
    await within(3_000, () => beats(ben.page), (b) => b.indexOf('2:Midpoint') === b.indexOf('2:Bad Guys Close In') - 1, 'Midpoint back before Bad Guys Close In');
    await ben.page.reload();
    expect((await beats(ben.page)).filter((b) => b.startsWith('2:')).slice(3, 5)).toEqual(['2:Midpoint', '2:Bad Guys Close In']);

    // a beat linked to a chapter is placed in the manuscript
    const opening = ana.page.locator('[data-testid=beat-card][data-beat-name="Opening Image"]');
    await opening.getByTestId('beat-document').selectOption({ label: 'Chapter 1' });
    await within(3_000, () => opening.getByTestId('beat-document').inputValue(), (v) => v !== '', 'linked');
    await shot(ana.page, 'structure-beats');
  }, 120_000);

  it('a viewer cannot move or edit beats, in the page or through the API', async () => {
    await openLive(vic.page, `${projectUrl}/beats`);
    expect(await vic.page.getByTestId('apply-template').count()).toBe(0);
    const card = vic.page.locator('[data-testid=beat-card]').first();
    expect(await card.getAttribute('draggable')).toBe('false');
    expect(await card.getByTestId('beat-name').isDisabled()).toBe(true);
    const beatId = (await card.getAttribute('data-beat-id'))!;
    const projectId = projectUrl.split('/').pop()!;
    const origin = new URL(vic.page.url()).origin;
    const version = Number(await card.getAttribute('data-version'));
    const move = await vic.page.request.post(`/api/projects/${projectId}/beats/${beatId}/move`, { headers: { origin }, data: { version, act: 3, afterId: null } });
    expect(move.status()).toBe(403);
    const template = await vic.page.request.post(`/api/projects/${projectId}/beats/template`, { headers: { origin }, data: { templateId: beatId } });
    expect([403, 404]).toContain(template.status());
  }, 60_000);
});

describe('plot issue cards', () => {
  it('the checks run on demand, their cards reach the other writer live, and triage is shared', async () => {
    await openLive(ana.page, `${projectUrl}/plot`);
    await openLive(ben.page, `${projectUrl}/plot`);
    await ana.page.getByTestId('run-checks').click();
    await within(5_000, () => ben.page.locator('[data-testid=issue-card][data-rule=beat_unlinked]').count(), (n) => n === 14, "Ben sees the unlinked beats' cards");
    const card = ben.page.locator('[data-testid=issue-card][data-rule=section_empty]').first();
    await card.waitFor();
    await card.getByTestId('issue-status').selectOption('acknowledged');
    await within(3_000, () => ana.page.locator('[data-testid=issue-column][data-status=acknowledged] [data-testid=issue-card]').count(), (n) => n === 1, 'Ana sees the triage');
    await ana.page.getByTestId('filter-severity').selectOption('medium');
    await shot(ana.page, 'structure-plot');
  }, 120_000);
});
