import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPerson, PHONE } from './support/browser';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const PASSWORD = 'a quiet harbour at dawn';
const stamp = Date.now().toString(36);
const ana = { name: 'Ana', email: `ana-${stamp}@example.com` };
const ben = { name: 'Ben', email: `ben-${stamp}@example.com` };

let service: Service;
let browser: Browser;
let anaPage: Page;
let benPage: Page;
let projectUrl = '';

async function shot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}


beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  anaPage = (await newPerson(browser, service.url)).page;
  benPage = (await newPerson(browser, service.url)).page;
}, 10 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
}, 60_000);

describe('the front door', () => {
  it('shows the product, and the health of the database and the collab server on the operators\' status page', async () => {
    await anaPage.goto('/');
    await anaPage.getByRole('heading', { name: 'Quire', level: 1 }).waitFor();
    await anaPage.goto('/status');
    expect(await anaPage.locator('[data-health="database"]').getAttribute('data-ok')).toBe('true');
    expect(await anaPage.locator('[data-health="live collaboration"]').getAttribute('data-ok')).toBe('true');
  });

  it('signs up, signs out, refuses a wrong password in words, and signs in again', async () => {
    await anaPage.goto('/projects');
    await anaPage.waitForURL(/\/sign-in\?next=%2Fprojects/);
    await anaPage.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await shot(anaPage, 'sign-in');
    await signUp(anaPage, { ...ana, password: PASSWORD });
    await anaPage.getByText('No projects yet').waitFor();
    await anaPage.getByRole('button', { name: 'Sign out' }).click();
    await anaPage.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await anaPage.getByLabel('Email').fill(ana.email);
    await anaPage.getByLabel('Password').fill('not my password');
    await anaPage.getByRole('button', { name: 'Sign in' }).click();
    await anaPage.getByRole('alert').filter({ hasText: 'do not match an account' }).waitFor();
    await anaPage.getByLabel('Password').fill(PASSWORD);
    await anaPage.getByRole('button', { name: 'Sign in' }).click();
    await anaPage.getByRole('heading', { name: 'Your projects' }).waitFor();
  });

  it('creates a novel from its template, with its starter documents', async () => {
    await anaPage.getByLabel('Title').fill('The Lighthouse Keeper');
    await anaPage.locator('label').filter({ hasText: /Novel/ }).first().click();
    await anaPage.getByRole('button', { name: 'Create project' }).click();
    await anaPage.getByTestId('document-tree').waitFor();
    projectUrl = new URL(anaPage.url()).pathname;
    expect(projectUrl).toMatch(/^\/projects\/[0-9a-f-]{36}$/);
    expect(await anaPage.getByTestId('project-role').innerText()).toContain('Owner');
    expect(await anaPage.locator('[data-doc-id]').count()).toBeGreaterThan(0);
    await anaPage.getByLabel(/Title of the new/).fill('Epilogue');
    await anaPage.getByRole('button', { name: /^Add chapter$/ }).click();
    await anaPage.locator('[data-doc-title="Epilogue"]').waitFor();
    await shot(anaPage, 'project');
    await anaPage.goto('/projects');
    await anaPage.locator('[data-project-title="The Lighthouse Keeper"]').waitFor();
    await shot(anaPage, 'dashboard');
  });

  it('invites the second writer as editor, who joins and sees the editor badge', async () => {
    await signUp(benPage, { ...ben, password: PASSWORD });
    await anaPage.goto(`${projectUrl}/members`);
    await anaPage.getByLabel('Email address').fill(ben.email);
    await anaPage.locator('#invite-role').selectOption('editor');
    await anaPage.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await anaPage.getByTestId('invitation-link').inputValue();
    expect(link).toContain('/invite/');

    await benPage.goto(new URL(link).pathname);
    await benPage.getByRole('heading', { name: /Ana invited you to “The Lighthouse Keeper” as editor/ }).waitFor();
    await benPage.getByRole('button', { name: 'Accept invitation' }).click();
    await benPage.getByText('You joined “The Lighthouse Keeper”').waitFor();
    expect(await benPage.getByTestId('project-role').innerText()).toContain('Editor');
    expect(await benPage.getByTestId('document-tree').getAttribute('data-can-edit')).toBe('true');
    await benPage.goto('/projects');
    const card = benPage.locator('[data-project-title="The Lighthouse Keeper"]');
    await card.waitFor();
    expect(await card.locator('[data-role]').getAttribute('data-role')).toBe('editor');
    await benPage.goto(projectUrl);
    await benPage.getByRole('button', { name: /Rename “Epilogue”/ }).waitFor();
  });

  it('downgrades the second writer to viewer, and their controls turn read-only without a reload', async () => {
    await anaPage.goto(`${projectUrl}/members`);
    await anaPage.getByLabel('Role of Ben').selectOption('viewer');
    await anaPage.getByText('Ben is now viewer.').waitFor();
    // Ben's open page picks the change up on its own
    await benPage.locator('[data-testid="document-tree"][data-can-edit="false"]').waitFor({ timeout: 30_000 });
    expect(await benPage.getByTestId('project-role').innerText()).toContain('Viewer');
    expect(await benPage.getByRole('button', { name: /Rename “Epilogue”/ }).count()).toBe(0);
    expect(await benPage.getByText('Add to the manuscript').count()).toBe(0);
    await benPage.getByText('You can read this manuscript.').waitFor();
    await benPage.goto(`${projectUrl}/members`);
    await benPage.getByText('Only the owner can invite people or change roles.').waitFor();
    expect(await benPage.getByLabel('Email address').count()).toBe(0);
  });

  it('refuses an invitation beyond the free plan’s two collaborators, with the reason', async () => {
    await anaPage.getByLabel('Email address').fill(`carol-${stamp}@example.com`);
    await anaPage.getByRole('button', { name: 'Create invitation link' }).click();
    await anaPage.getByTestId('invitation-link').waitFor();
    await anaPage.getByTestId('seat-usage').filter({ hasText: '2 of 2' }).waitFor();
    await anaPage.getByLabel('Email address').fill(`dave-${stamp}@example.com`);
    await anaPage.getByRole('button', { name: 'Create invitation link' }).click();
    await anaPage.getByRole('alert').filter({ hasText: 'The free plan allows 2 collaborators per project' }).waitFor();
    await shot(anaPage, 'members');
  });

  it('fits a phone screen', async () => {
    const phone = await newPerson(browser, service.url, PHONE);
    await phone.page.goto('/sign-in');
    await phone.page.getByLabel('Email').fill(ana.email);
    await phone.page.getByLabel('Password').fill(PASSWORD);
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await phone.page.locator('[data-project-title="The Lighthouse Keeper"]').waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone.page, 'dashboard-phone');
    await phone.page.goto(`${projectUrl}/members`);
    await phone.page.getByText('Invite someone').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(phone.page, 'members-phone');
    await phone.context.close();
  });
});
