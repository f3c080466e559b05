import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPerson } from './support/browser';
import { createProject, SCREENSHOTS, type Person } from './support/editor';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';
import path from 'node:path';

/**
 * The download flow as a writer meets it, on the studio as the README starts it (web, collab and the job worker):
 * the Export dialog queues a job, the history shows it live until it is ready, and Download hands over the file
 * through a signed, expiring link.
 */

const PASSWORD = 'every page a window';
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
    await page.getByTestId('export-row').first().and(page.locator('[data-status=succeeded], [data-status=failed]')).waitFor({ timeout: 90_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-history.png') });
  }, 5 * 60_000);
});
