import { getPool } from '@/lib/db';
import { parseId } from '@/lib/errors';
import { caller, json, refuse } from '@/lib/http';
import { getVersion } from '@/server/versions';

type Context = { params: Promise<{ documentId: string; versionId: string }> };

/** One version for preview and comparison: its ProseMirror JSON and plain text, never the Yjs state. */
export async function GET(request: Request, context: Context) {
  try {
    const params = await context.params;
    const documentId = parseId(params.documentId, 'document');
    const versionId = parseId(params.versionId, 'version');
    const claims = await caller(request);
    return json({ version: await getVersion(getPool(), claims, documentId, versionId) });
  } catch (error) {
    return refuse(error);
  }
}
