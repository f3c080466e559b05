import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ProseMirrorJSON } from '@quire/domain/manuscript';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface PlainPage {
  url: string;
  close(): Promise<void>;
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Serves the plain editor on 127.0.0.1: its page, one minified bundle (built the way a production build would be),
 * and the chapter as JSON. The page links the web app's own stylesheets and repeats the workspace's page frame, so
 * both editors lay out the same text in the same column with the same fonts.
 */
export async function servePlainPage(chapter: ProseMirrorJSON, stylesheets: string[]): Promise<PlainPage> {
  const bundle = await build({
    entryPoints: [path.join(HERE, 'page.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.contents;
  const json = JSON.stringify(chapter);
  const links = stylesheets.map((href) => `<link rel="stylesheet" href="${escape(href)}">`).join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plain Tiptap</title>
${links}
</head><body class="bg-stone-50 text-ink antialiased">
<main class="mx-auto max-w-6xl px-4 py-6">
<div class="quire-workspace flex min-h-[70vh] flex-col rounded-xl border border-stone-200 bg-stone-100/70" data-testid="document-workspace" data-ready="false">
<div class="px-2 py-4 sm:px-6 sm:py-8">
<div class="quire-page mx-auto w-full max-w-[46rem] rounded-sm bg-white px-5 py-10 shadow-sm ring-1 ring-stone-200 sm:px-14 sm:py-14">
<div id="editor" class="quire-prose"></div>
</div></div></div></main>
<script type="module" src="/page.js"></script>
</body></html>`;

  const server = createServer((request, response) => {
    const route = request.url?.split('?')[0];
    if (route === '/' || route === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    } else if (route === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(script);
    } else if (route === '/chapter.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(json);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
