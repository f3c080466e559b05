import { UserError } from '@/lib/errors';
import { exportOutlineMarkdown } from '@/server/structure/outlines';
import { endpoint, idOf } from '../../../http';

/** The outline as a Markdown file, downloaded. */
export const GET = endpoint(async ({ pool, claims, projectId, params }) => {
  const exported = await exportOutlineMarkdown(pool, claims, projectId, idOf(params.outlineId!, 'outline'));
  if (!exported) throw new UserError('This outline does not exist or you cannot see it.', 'not_found');
  const name = exported.title.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'outline';
  return new Response(exported.markdown, {
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${encodeURIComponent(name)}.md"`,
      'cache-control': 'no-store',
    },
  });
});
