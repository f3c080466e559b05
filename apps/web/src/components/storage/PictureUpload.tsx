'use client';

import { useRef, useState } from 'react';
import { Alert, Button, buttonClass, cx } from '@/components/ui';
import type { ApiResult } from '@/components/structure/api';

/** Signed links to a stored picture's two sizes (server/storage/pictures.ts). */
export interface PictureLinks {
  display: string;
  thumb: string;
}

/** The bucket's limit; the server refuses larger files too, this only saves the wait. */
export const PICTURE_MAX_BYTES = 5 * 1024 * 1024;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';

/**
 * Sends a picture file as the request body to one of the picture endpoints (the bytes decide its type on the
 * server, never the name or the browser's guess) and reads the answer like the other JSON calls.
 */
export async function sendPicture<T>(url: string, file: File): Promise<ApiResult<T>> {
  if (file.size > PICTURE_MAX_BYTES) {
    return { ok: false, status: 400, error: 'That picture is larger than 5 MB. Choose a smaller one.', kind: 'invalid' };
  }
  try {
    const response = await fetch(url, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' }, cache: 'no-store' });
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return { ok: true, data: data as T };
    return { ok: false, status: response.status, error: String(data.error ?? 'The picture could not be uploaded.'), kind: String(data.kind ?? 'unavailable'), current: data.current };
  } catch {
    return { ok: false, status: 0, error: 'Quire cannot be reached. Check your connection and try again.', kind: 'unavailable' };
  }
}

/** A small square thumbnail, or the first letter of the name on a tinted square when there is no picture. */
export function PictureThumb({ picture, name, size = 'md' }: { picture: PictureLinks | null | undefined; name: string; size?: 'sm' | 'md' }) {
  const box = size === 'sm' ? 'h-8 w-8 text-sm' : 'h-10 w-10 text-base';
  if (picture) {
    // eslint-disable-next-line @next/next/no-img-element -- a signed storage link, already resized by the server
    return <img src={picture.thumb} alt="" className={cx(box, 'shrink-0 rounded-md border border-stone-200 object-cover')} data-testid="picture-thumb" />;
  }
  return (
    <span aria-hidden className={cx(box, 'flex shrink-0 items-center justify-center rounded-md bg-stone-100 font-serif text-stone-500')}>
      {name.trim().charAt(0).toUpperCase() || '?'}
    </span>
  );
}

interface PictureUploadProps {
  /** what the picture shows, for the image's alt text and the buttons' labels ("Harbour", "Mara") */
  subject: string;
  picture: PictureLinks | null | undefined;
  canEdit: boolean;
  /** uploads the file; answers a message for the writer when it was refused */
  onUpload(file: File): Promise<string | null>;
  onRemove(): Promise<string | null>;
}

/**
 * The display-size picture with Upload / Replace / Remove for writers: choose a file or drop one on the picture.
 * Refusals (too large, not a picture, damaged) are shown as the server words them; nothing is stored then.
 */
export function PictureUpload({ subject, picture, canEdit, onUpload, onRemove }: PictureUploadProps) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<null | 'upload' | 'remove'>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  async function run(kind: 'upload' | 'remove', action: () => Promise<string | null>) {
    setBusy(kind);
    setError(null);
    try {
      setError(await action());
    } finally {
      setBusy(null);
      if (input.current) input.current.value = '';
    }
  }
  const upload = (file: File | undefined) => {
    if (file && !busy) void run('upload', () => onUpload(file));
  };

  return (
    <div className="space-y-2" data-testid="picture-upload">
      <div
        className={cx(
          'relative overflow-hidden rounded-lg border bg-stone-50',
          dragging ? 'border-accent ring-2 ring-accent/30' : 'border-stone-200',
        )}
        onDragOver={canEdit ? (e) => { e.preventDefault(); setDragging(true); } : undefined}
        onDragLeave={canEdit ? () => setDragging(false) : undefined}
        onDrop={canEdit ? (e) => { e.preventDefault(); setDragging(false); upload(e.dataTransfer.files[0]); } : undefined}
      >
        {picture ? (
          // eslint-disable-next-line @next/next/no-img-element -- a signed storage link, already resized by the server
          <img src={picture.display} alt={`Picture of ${subject}`} className="max-h-72 w-full object-cover" data-testid="picture-display" />
        ) : (
          <div className="flex h-40 flex-col items-center justify-center gap-1 px-4 text-center text-sm text-stone-500">
            <span className="font-serif text-base text-stone-600">No picture yet</span>
            {canEdit ? <span>JPEG, PNG, WebP or GIF, up to 5 MB. Drop a file here or choose one.</span> : null}
          </div>
        )}
        {busy ? (
          <div className="absolute inset-0 flex items-center justify-center bg-white/70 text-sm font-medium text-ink" role="status">
            {busy === 'upload' ? 'Uploading…' : 'Removing…'}
          </div>
        ) : null}
      </div>
      {canEdit ? (
        <div className="flex flex-wrap items-center gap-2">
          <label className={cx(buttonClass('secondary', 'sm'), 'cursor-pointer focus-within:ring-2 focus-within:ring-accent/40', busy && 'pointer-events-none opacity-60')}>
            <input
              ref={input}
              type="file"
              accept={ACCEPT}
              className="sr-only"
              disabled={!!busy}
              onChange={(e) => upload(e.target.files?.[0])}
              aria-label={picture ? `Replace the picture of ${subject}` : `Upload a picture of ${subject}`}
              data-testid="picture-input"
            />
            {picture ? 'Replace picture' : 'Upload picture'}
          </label>
          {picture ? (
            <Button size="sm" variant="ghost" disabled={!!busy} onClick={() => void run('remove', onRemove)} aria-label={`Remove the picture of ${subject}`}>
              Remove
            </Button>
          ) : null}
        </div>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}
