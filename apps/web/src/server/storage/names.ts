import { invalid } from './errors';

/** Object names as Supabase Storage accepts them, minus what could ever resolve elsewhere on disk or in a policy. */
export function objectName(raw: string): string {
  const name = raw.replace(/^\/+/, '');
  const parts = name.split('/');
  if (!name || name.length > 1024 || hasControlOrBackslash(name) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw invalid('The object name is not valid.');
  }
  return name;
}

export function bucketId(raw: string | undefined): string {
  if (!raw || !/^[a-z0-9][a-z0-9._-]{0,62}$/.test(raw)) throw invalid('The bucket name is not valid.');
  return raw;
}

function hasControlOrBackslash(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || ch === '\\') return true;
  }
  return false;
}
