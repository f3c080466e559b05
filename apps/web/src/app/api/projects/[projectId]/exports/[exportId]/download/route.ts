import { exportDownloadLink } from '@/server/exports';
import { endpoint } from '../../../http';

/**
 * Sends the browser to a signed link of the file that works for a few minutes; the history's "Download" points
 * here, so the link in the page never expires and never leaks a lasting URL.
 */
export const GET = endpoint(async ({ request, pool, claims, projectId, params }) => {
  const url = await exportDownloadLink(pool, claims, projectId, params.exportId ?? '');
  if (new URL(request.url).searchParams.has('json')) return { url };
  return new Response(null, { status: 303, headers: { location: url, 'cache-control': 'no-store' } });
});
