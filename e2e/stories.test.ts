/**
 * Every Storybook story renders in a real browser without an error: a story that throws, a component whose props
 * changed under its stories, or a failed play function fails here. Reads the static build that `.ci/run` makes
 * (`pnpm --filter @quire/web build-storybook`) and builds it first when it is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPerson } from './support/browser';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/web');
const STATIC = path.join(WEB, 'storybook-static');

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function ensureBuilt() {
  if (existsSync(path.join(STATIC, 'index.json'))) return;
  const result = spawnSync('pnpm', ['--filter', '@quire/web', 'build-storybook'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building Storybook failed');
}

function serve(root: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
}

ensureBuilt();
const stories = Object.values(
  (JSON.parse(readFileSync(path.join(STATIC, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> }).entries,
).filter((entry) => entry.type === 'story');

let server: Server;
let browser: Browser;
let page: Page;
let base = '';
const pageErrors: string[] = [];

/**
 * Shows one story in the already loaded preview, as Storybook's own UI does (no page load per story), and answers
 * null once it rendered and its play function passed, or what went wrong.
 */
function show(id: string): Promise<string | null> {
  return page.evaluate(
    (storyId) =>
      new Promise<string | null>((resolve) => {
        type Channel = { on(event: string, f: (arg: never) => void): void; off(event: string, f: (arg: never) => void): void; emit(event: string, arg: unknown): void };
        const channel = (window as unknown as { __STORYBOOK_ADDONS_CHANNEL__: Channel }).__STORYBOOK_ADDONS_CHANNEL__;
        const describe = (value: unknown) => (typeof value === 'object' && value ? JSON.stringify(value) : String(value));
        const handlers: Array<[string, (arg: never) => void]> = [
          ['storyRendered', (rendered: string) => rendered === storyId && done(null)],
          ['storyMissing', () => done(`story ${storyId} is missing`)],
          ['storyErrored', (error: unknown) => done(`errored: ${describe(error)}`)],
          ['storyThrewException', (error: unknown) => done(`threw: ${describe(error)}`)],
          ['playFunctionThrewException', (error: unknown) => done(`play function threw: ${describe(error)}`)],
        ];
        function done(result: string | null) {
          for (const [event, handler] of handlers) channel.off(event, handler);
          resolve(result);
        }
        for (const [event, handler] of handlers) channel.on(event, handler);
        channel.emit('setCurrentStory', { storyId, viewMode: 'story' });
      }),
    id,
  );
}

beforeAll(async () => {
  server = await serve(STATIC);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = (await newPerson(browser, base)).page;
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto('/iframe.html');
  await page.waitForFunction(() => '__STORYBOOK_PREVIEW__' in window && '__STORYBOOK_ADDONS_CHANNEL__' in window);
  await page.evaluate(() => (window as unknown as { __STORYBOOK_PREVIEW__: { ready(): Promise<void> } }).__STORYBOOK_PREVIEW__.ready());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the Storybook stories', () => {
  it('cover the shared UI and every editor panel', () => {
    const titles = new Set(stories.map((story) => story.title));
    for (const title of ['UI/Building blocks', 'UI/RoleBadge', 'UI/SubmitButton', 'Editor/Toolbar', 'Editor/CommentsPanel', 'Editor/HistoryPanel', 'Editor/Presence', 'Editor/StatusBadge']) {
      expect(titles, title).toContain(title);
    }
  });

  it.each(stories.map((story) => [`${story.title} — ${story.name}`, story.id] as const))(
    '%s renders without an error',
    async (_label, id) => {
      pageErrors.length = 0;
      expect(await show(id)).toBeNull();
      expect(await page.locator('#storybook-root').innerHTML()).not.toBe('');
      expect(pageErrors).toEqual([]);
    },
    60_000,
  );
});
