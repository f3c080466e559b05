import { getConfig } from '@/lib/config';
import { embeddedStorage, storagePath } from '@/server/storage/instance';

// The embedded Storage-compatible subset. With SUPABASE_URL set, Supabase Storage serves these paths and this one is off.
export const dynamic = 'force-dynamic';

async function handle(request: Request) {
  if (getConfig().auth.mode !== 'embedded') {
    return Response.json({ statusCode: '404', error: 'not_found', message: 'Files are served by Supabase Storage on this server.' }, { status: 404 });
  }
  return embeddedStorage().handle(request, storagePath(request.url));
}

export { handle as GET, handle as HEAD, handle as POST, handle as PUT, handle as DELETE };
