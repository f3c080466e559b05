/** Storage API errors in Supabase Storage's shape, so supabase-js reports them the same way: { statusCode, error, message }. */
export class StorageFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StorageFailure';
  }
}

export function failureResponse(error: StorageFailure): Response {
  return Response.json(
    { statusCode: String(error.status), code: error.code, error: error.code, message: error.message },
    { status: error.status, headers: { 'cache-control': 'no-store' } },
  );
}

export const notFound = () => new StorageFailure(404, 'NoSuchKey', 'Object not found');
export const noBucket = () => new StorageFailure(404, 'NoSuchBucket', 'Bucket not found');
export const denied = (message = 'new row violates row-level security policy') => new StorageFailure(403, 'Unauthorized', message);
export const invalid = (message: string) => new StorageFailure(400, 'InvalidRequest', message);

/** Postgres refusals during an object write, as Supabase Storage reports them. */
export function fromPg(error: unknown): StorageFailure {
  const pg = error as { code?: string; message?: string; hint?: string };
  if (error instanceof StorageFailure) return error;
  if (pg.code === '42501') return denied();
  // the database's own refusals are written for people: a plan's storage limit, above all
  if (pg.code === 'P0001' && pg.message) return new StorageFailure(pg.hint?.startsWith('quota:') ? 413 : 400, pg.hint?.startsWith('quota:') ? 'QuotaExceeded' : 'InvalidRequest', pg.message);
  if (pg.code === '23505') return new StorageFailure(409, 'Duplicate', 'The resource already exists');
  if (pg.code === '23503') return noBucket();
  console.error(error);
  return new StorageFailure(500, 'InternalError', 'Storage could not complete the request. Try again in a moment.');
}
