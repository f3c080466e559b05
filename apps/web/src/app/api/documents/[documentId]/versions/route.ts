import { getPool } from '@/lib/db';
import { parseId } from '@/lib/errors';
import { caller, json, readJson, refuse } from '@/lib/http';
import { listVersions, saveVersion } from '@/server/versions';

type Context = { params: Promise<{ documentId: string }> };

/** The document's history, newest first, without the stored states. */
export async function GET(request: Request, context: Context) {
  try {
    const documentId = parseId((await context.params).documentId, 'document');
    const claims = await caller(request);
    return json({ versions: await listVersions(getPool(), claims, documentId) });
  } catch (error) {
    return refuse(error);
  }
}

/** Names the document as last stored (the editor asks the collab server first, for the live state). */
export async function POST(request: Request, context: Context) {
  try {
    const documentId = parseId((await context.params).documentId, 'document');
    const claims = await caller(request);
    return json({ version: await saveVersion(getPool(), claims, documentId, await readJson(request)) }, 201);
  } catch (error) {
    return refuse(error);
  }
}
