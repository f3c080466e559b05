import { getConfig } from '@/lib/config';
import { embeddedAuth } from '@/lib/auth/embedded/instance';
import { clientIp } from '@/lib/auth/client-ip';
import { authError } from '@/lib/auth/embedded/responses';

// The embedded GoTrue-compatible auth. With SUPABASE_URL set, Supabase Auth serves these paths and this one is off.
export const dynamic = 'force-dynamic';

async function handle(request: Request, context: { params: Promise<{ path: string[] }> }) {
  const config = getConfig();
  if (config.auth.mode !== 'embedded') {
    return authError(404, 'not_found', 'Sign-in is handled by Supabase Auth on this server.');
  }
  const { path } = await context.params;
  return embeddedAuth().handle(request, `/${path.join('/')}`, {
    clientIp: clientIp(request.headers, config.jwtSecret),
    userAgent: request.headers.get('user-agent'),
  });
}

export { handle as GET, handle as POST, handle as PUT, handle as OPTIONS };
