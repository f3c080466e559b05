import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
import { checkHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await checkHealth(getPool(), getConfig().collabHealthUrl);
  const ok = health.database.ok && health.collab.ok;
  return Response.json({ ok, ...health }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
