'use client';

import { useRef, useState } from 'react';
import { COVER_BOX, COVER_MAX_BYTES } from '@quire/domain/exports';
import type { CoverView, ExportsScreen } from '@/server/exports';
import { Alert, Button } from '@/components/ui';
import { formatBytes } from './format';

/**
 * The project's EPUB cover inside the Export dialog: what is set, and for editors and the owner a way to add, replace
 * or remove it. The picture is sent as it is; the server checks it and re-encodes it to ebook size.
 */
export function CoverField({ screen, cover, onChange }: { screen: ExportsScreen; cover: CoverView | null; onChange: (cover: CoverView | null) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<'upload' | 'remove' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const url = `/api/projects/${screen.projectId}/exports/cover`;

  async function send(method: 'PUT' | 'DELETE', file?: File) {
    setError(null);
    if (file && file.size > COVER_MAX_BYTES) return setError(`That picture is ${formatBytes(file.size)}; pictures up to ${formatBytes(COVER_MAX_BYTES)} can be used.`);
    setBusy(method === 'PUT' ? 'upload' : 'remove');
    try {
      const response = await fetch(url, { method, body: file, headers: file ? { 'content-type': 'application/octet-stream' } : undefined });
      const data = (await response.json().catch(() => ({}))) as CoverView & { error?: string };
      if (!response.ok) return setError(data.error ?? 'The cover could not be changed. Try again in a moment.');
      onChange(method === 'PUT' ? data : null);
    } catch {
      setError('Quire cannot be reached. Check your connection and try again.');
    } finally {
      setBusy(null);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="flex gap-3 rounded-md border border-stone-200 p-3" data-testid="cover-field">
      {cover ? (
        // eslint-disable-next-line @next/next/no-img-element -- a short-lived signed link, not an optimisable asset
        <img src={`${url}?v=${encodeURIComponent(cover.updatedAt)}`} alt="The book's cover" className="h-24 w-16 shrink-0 rounded border border-stone-200 object-cover" data-testid="cover-preview" />
      ) : (
        <div className="flex h-24 w-16 shrink-0 items-center justify-center rounded border border-dashed border-stone-300 text-center text-[10px] leading-tight text-stone-400" aria-hidden>
          No cover
        </div>
      )}
      <div className="min-w-0 flex-1 space-y-2 text-sm">
        <p className="font-medium text-stone-800">Cover</p>
        <p className="text-xs text-stone-500">
          {cover
            ? `${cover.width} × ${cover.height} px, ${formatBytes(cover.sizeBytes)}. Reading apps and stores show it first.`
            : `The book opens on its title page. A picture about ${COVER_BOX.width} × ${COVER_BOX.height} px works best.`}
        </p>
        {error ? <Alert>{error}</Alert> : null}
        {screen.mayEditCover ? (
          <div className="flex flex-wrap gap-2">
            <input ref={input} type="file" accept="image/jpeg,image/png,image/webp,image/gif" className="sr-only" id="cover-file" data-testid="cover-file"
              onChange={(e) => e.target.files?.[0] && void send('PUT', e.target.files[0])} />
            <Button size="sm" variant="secondary" onClick={() => input.current?.click()} disabled={busy !== null}>
              {busy === 'upload' ? 'Uploading…' : cover ? 'Replace…' : 'Add a cover…'}
            </Button>
            {cover ? (
              <Button size="sm" variant="ghost" onClick={() => void send('DELETE')} disabled={busy !== null} data-testid="cover-remove">
                {busy === 'remove' ? 'Removing…' : 'Remove'}
              </Button>
            ) : null}
          </div>
        ) : cover ? null : (
          <p className="text-xs text-stone-500">Editors and the owner can add one.</p>
        )}
      </div>
    </div>
  );
}
