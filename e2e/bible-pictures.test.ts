import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, LAPTOP, newPerson, PHONE } from './support/browser';
import { createProject, SCREENSHOTS, type Person } from './support/editor';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';

/**
 * Pictures of places on the World screen, on the studio as the README starts it: a writer uploads a picture in a
 * place's profile and sees it there and as a thumbnail in the list; a file that is not a picture is refused with a
 * sentence and changes nothing; Remove takes the picture away. Takes docs/screenshots/bible-world*.png.
 */

const PASSWORD = 'maps are not the territory';
const stamp = Date.now().toString(36);

let service: Service | undefined;
let browser: Browser;
let ana: Person;
let projectUrl = '';

/** A small painted landscape, made by the browser's canvas, as the bytes of a JPEG file. */
async function paint(page: Page, palette: { sky: string; sea: string; land: string; sun: string }): Promise<Buffer> {
  const dataUrl = await page.evaluate((p) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 1000;
    const g = canvas.getContext('2d')!;
    const sky = g.createLinearGradient(0, 0, 0, 620);
    sky.addColorStop(0, p.sky);
    sky.addColorStop(1, '#f8e7c8');
    g.fillStyle = sky;
    g.fillRect(0, 0, 1600, 620);
    g.fillStyle = p.sun;
    g.beginPath();
    g.arc(1180, 330, 110, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = p.sea;
    g.fillRect(0, 600, 1600, 400);
    g.fillStyle = p.land;
    g.beginPath();
    g.moveTo(0, 640);
    for (let x = 0; x <= 760; x += 40) g.lineTo(x, 520 - Math.sin(x / 120) * 90 - x / 12);
    g.lineTo(760, 1000);
    g.lineTo(0, 1000);
    g.fill();
    g.fillStyle = '#fdfaf3';
    g.fillRect(560, 300, 54, 220);
    g.fillStyle = '#b4442f';
    g.fillRect(560, 360, 54, 34);
    g.fillRect(560, 440, 54, 34);
    g.fillStyle = '#3a3a3a';
    g.fillRect(550, 270, 74, 34);
    return canvas.toDataURL('image/jpeg', 0.9);
  }, palette);
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

async function addPlace(page: Page, place: { name: string; kind: string; within?: string; summary: string }) {
  await page.getByTestId('add-location').click();
  const form = page.getByTestId('location-form');
  await form.getByTestId('location-name').fill(place.name);
  await form.getByTestId('location-kind').selectOption({ label: place.kind });
  if (place.within) {
    const parent = form.getByTestId('location-parent');
    await parent.selectOption((await parent.locator('option', { hasText: place.within }).getAttribute('value'))!);
  }
  await form.getByLabel('Summary').fill(place.summary);
  await form.getByTestId('location-save').click();
  await form.waitFor({ state: 'detached' });
  await row(page, place.name).waitFor();
}

const row = (page: Page, name: string) => page.getByTestId('location-row').filter({ has: page.getByTestId('location-open').filter({ hasText: name }) });

async function open(page: Page, name: string) {
  await row(page, name).getByTestId('location-open').click();
  await page.getByTestId('location-profile').filter({ hasText: name }).waitFor();
  return page.getByTestId('location-profile');
}

beforeAll(async () => {
  const url = process.env.QUIRE_E2E_URL ?? (service = await startService()).url;
  browser = await launchBrowser();
  ana = await newPerson(browser, url);
  await signUp(ana.page, { name: 'Ana Reyes', email: `ana-pic-${stamp}@example.com`, password: PASSWORD });
  projectUrl = await createProject(ana.page, 'The Salt Road', /Novel/);
}, 8 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe('pictures of places', () => {
  it('uploads a picture into a place’s profile, shows it in the list, refuses a file that is not a picture, and removes it', async () => {
    const page = ana.page;
    await page.goto(`${projectUrl}/world`);
    await page.getByTestId('world-studio').waitFor();
    await addPlace(page, { name: 'Norland', kind: 'Country', summary: 'A cold coast of fjords and salt flats.' });
    await addPlace(page, { name: 'Port Ely', kind: 'City', within: 'Norland', summary: 'The harbour town where the road ends.' });
    await addPlace(page, { name: 'The Lighthouse', kind: 'Building', within: 'Port Ely', summary: 'Mara keeps the lamp here.' });
    await addPlace(page, { name: 'The Salt Flats', kind: 'Wilderness', within: 'Norland', summary: 'Where the caravans cross.' });

    // a file that only claims to be a picture is refused by its bytes, and nothing changes
    let profile = await open(page, 'The Lighthouse');
    await profile.getByTestId('picture-input').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload="alert(1)"/>') });
    await expect.poll(() => profile.getByRole('alert').textContent()).toMatch(/not a JPEG, PNG, WebP or GIF/);
    expect(await profile.getByTestId('picture-display').count()).toBe(0);

    await profile.getByTestId('picture-input').setInputFiles({ name: 'lighthouse.jpg', mimeType: 'image/jpeg', buffer: await paint(page, { sky: '#5b7db1', sea: '#27476e', land: '#6b7f4a', sun: '#ffd27a' }) });
    await profile.getByTestId('picture-display').waitFor();
    expect(await profile.getByRole('alert').count()).toBe(0);
    await row(page, 'The Lighthouse').getByTestId('picture-thumb').waitFor();

    profile = await open(page, 'Port Ely');
    await profile.getByTestId('picture-input').setInputFiles({ name: 'port.png', mimeType: 'image/png', buffer: await paint(page, { sky: '#d9825b', sea: '#38597a', land: '#8a6d4b', sun: '#fff1c1' }) });
    const display = profile.getByTestId('picture-display');
    await display.waitFor();
    // the browser shows the re-encoded display size, not the upload
    await expect.poll(() => display.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1200);
    await row(page, 'Port Ely').getByTestId('picture-thumb').waitFor();
    await expect.poll(() => row(page, 'Port Ely').getByTestId('picture-thumb').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(256);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bible-world.png') });
    await page.setViewportSize(PHONE);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bible-world-phone.png'), fullPage: true });
    await page.setViewportSize(LAPTOP);

    // removing takes it away from the profile and the list, and survives a reload
    profile = await open(page, 'The Lighthouse');
    await profile.getByRole('button', { name: 'Remove the picture of The Lighthouse' }).click();
    await profile.getByTestId('picture-display').waitFor({ state: 'detached' });
    await page.reload();
    await row(page, 'Port Ely').getByTestId('picture-thumb').waitFor();
    expect(await row(page, 'The Lighthouse').getByTestId('picture-thumb').count()).toBe(0);
  }, 5 * 60_000);
});
