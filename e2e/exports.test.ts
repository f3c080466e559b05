import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { LAPTOP, PHONE, launchBrowser, newPerson } from './support/browser';
import { createProject, documentUrl, openEditor, saveStatus, SCREENSHOTS, within, type Person } from './support/editor';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The download flow as a writer meets it, on the studio as the README starts it (web, collab and the job worker):
 * the Export dialog queues a job, the history shows it live until it is ready, and Download hands over the file
 * through a signed, expiring link — from the Exports tab, and from inside the editor.
 */

const PASSWORD = 'every page a window';
// any picture will do as a cover: the server re-encodes it (this one is the book PDF's sample title page)
const PICTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/exports/novel-page-1.png');
const stamp = Date.now().toString(36);

let service: Service | undefined;
let browser: Browser;
let ana: Person;
let projectUrl = '';

beforeAll(async () => {
  const url = process.env.QUIRE_E2E_URL ?? (service = await startService()).url;
  browser = await launchBrowser();
  ana = await newPerson(browser, url);
  await signUp(ana.page, { name: 'Ana Reyes', email: `ana-ex-${stamp}@example.com`, password: PASSWORD });
  projectUrl = await createProject(ana.page, 'The Salt Road', /Novel/);
}, 8 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe('exports in the browser', () => {
  it('exports the whole project, shows it ready without a reload, and downloads the file', async () => {
    const page = ana.page;
    await page.goto(`${projectUrl}/exports`);
    await page.getByTestId('live-status').and(page.locator('[data-connected=true]')).waitFor({ timeout: 30_000 });
    await page.getByTestId('open-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByText('Markdown', { exact: true }).click();
    await dialog.getByTestId('export-submit').click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('export-row').first();
    await row.and(page.locator('[data-status=succeeded]')).waitFor({ timeout: 90_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-download').click()]);
    expect(download.suggestedFilename()).toBe('The Salt Road.md');
    const text = await readFile((await download.path())!, 'utf8');
    expect(text).toMatch(/^# /m);

    // the signed link the server handed out is not the page's link, and it does not last
    const response = await page.request.get(`${new URL(page.url()).origin}/api${projectUrl}/exports/${await row.getAttribute('data-export-id')}/download?json`);
    const { url } = (await response.json()) as { url: string };
    expect(url).toMatch(/\/storage\/v1\/object\/sign\/exports\/.+token=/);

    // a second export in another format, for the history's picture, and the dialog over it
    await page.getByTestId('open-export').click();
    await dialog.getByText('Word (.docx)', { exact: true }).click();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-dialog.png') });
    await dialog.getByTestId('export-submit').click();
    await dialog.waitFor({ state: 'detached' });
    // the new export joins the history at the top (the list refreshes after the dialog closes), then finishes
    await page.getByTestId('export-row').nth(1).waitFor();
    await page.getByTestId('export-row').first().and(page.locator('[data-status=succeeded], [data-status=failed]')).waitFor({ timeout: 90_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-history.png') });
  }, 5 * 60_000);

  it('exports from inside the editor: the shortcut opens the same dialog on this document, the card follows the job to its download', async () => {
    const page = ana.page;
    const url = await documentUrl(page, projectUrl, 'Chapter 1');
    const documentId = url.split('/').pop()!;
    await openEditor(page, url);
    await page.getByTestId('manuscript').click();
    const line = `The salt road ran east of the marsh ${stamp}.`;
    await page.keyboard.type(line);
    await within(30_000, () => saveStatus(page), (status) => status === 'saved', 'the typing to be stored');

    // Ctrl+Shift+E from the page opens the Export dialog with this document chosen
    await page.keyboard.press('Control+Shift+E');
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('scope-document').isChecked()).toBe(true);
    expect(await dialog.getByTestId('export-document').inputValue()).toBe(documentId);
    // the same dialog can take a selection or the whole project instead
    await dialog.getByText('Some documents', { exact: true }).click();
    await dialog.getByTestId('export-selection').getByLabel('Chapter 1').waitFor();
    expect(await dialog.getByTestId('export-selection').getByLabel('Chapter 1').isChecked()).toBe(true);
    await dialog.getByText('Whole project', { exact: true }).click();
    await dialog.getByText(/in outline order/).waitFor();
    await dialog.getByText('One document', { exact: true }).click();

    // an EPUB shows the project's cover; an editor adds one right here (any picture: the server re-encodes it)
    await dialog.getByText('EPUB 3', { exact: true }).click();
    await dialog.getByTestId('cover-file').setInputFiles(PICTURE);
    await dialog.getByTestId('cover-preview').waitFor({ timeout: 30_000 });
    // the element is there before its picture has arrived
    await within(15_000, () => dialog.getByTestId('cover-preview').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), (shown) => shown, 'the cover picture to show');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-dialog-editor.png') });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-dialog-editor-phone.png') });
    await page.setViewportSize(LAPTOP);
    // Escape closes it and gives the focus back; the header's Export button opens it again
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('editor-export').click();
    await dialog.waitFor();

    await dialog.getByText('Plain text', { exact: true }).click();
    await dialog.getByTestId('export-submit').click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.getByTestId('editor-export-status');
    const row = card.getByTestId('export-row');
    await row.and(page.locator('[data-status=succeeded]')).waitFor({ timeout: 90_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-editor-ready.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-download').click()]);
    expect(download.suggestedFilename()).toBe('Chapter 1.txt');
    expect(await readFile((await download.path())!, 'utf8')).toContain(line);
    // and the Exports tab lists it first among the others
    const exportId = await row.getAttribute('data-export-id');
    await card.getByRole('link', { name: 'Exports tab' }).click();
    await page.getByTestId('export-history').waitFor();
    expect(await page.getByTestId('export-row').first().getAttribute('data-export-id')).toBe(exportId);
  }, 5 * 60_000);
});
