'use client';

import { useRef, useState } from 'react';
import type { CharacterDto } from '@/server/bible/characters';
import { Button } from '@/components/ui';
import { api, type ApiResult } from '@/components/structure/api';
import { Portrait } from './portrait';

async function upload(projectId: string, characterId: string, file: File, version: number): Promise<ApiResult<{ character: CharacterDto }>> {
  const form = new FormData();
  form.set('file', file);
  form.set('version', String(version));
  try {
    const response = await fetch(`/api/projects/${projectId}/characters/${characterId}/portrait`, { method: 'POST', body: form });
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return { ok: true, data: data as { character: CharacterDto } };
    return { ok: false, status: response.status, error: String(data.error ?? 'The picture could not be uploaded.'), kind: String(data.kind ?? 'unavailable'), current: data.current };
  } catch {
    return { ok: false, status: 0, error: 'Quire cannot be reached. Check your connection and try again.', kind: 'unavailable' };
  }
}

/**
 * The profile's portrait with, for writers, upload / replace / remove. The server decides what the file is from its
 * bytes and says so when it is not a picture; a profile edit by someone else meanwhile does not block a new picture
 * unless they changed the picture too.
 */
export function PortraitControl({ projectId, character, canEdit, onChanged }: {
  projectId: string;
  character: CharacterDto;
  canEdit: boolean;
  onChanged: (c: CharacterDto) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send(file: File) {
    setBusy('Uploading…');
    setError(null);
    let result = await upload(projectId, character.id, file, character.version);
    if (!result.ok && result.status === 409 && result.current && (result.current as CharacterDto).imagePath === character.imagePath) {
      result = await upload(projectId, character.id, file, (result.current as CharacterDto).version);
    }
    setBusy(null);
    if (input.current) input.current.value = '';
    if (result.ok) onChanged(result.data.character);
    else setError(result.status === 409 ? 'Someone else changed the portrait just now. Look at theirs, then upload again if you still want yours.' : result.error);
  }

  async function remove() {
    setBusy('Removing…');
    const result = await api<{ character: CharacterDto }>('DELETE', `/api/projects/${projectId}/characters/${character.id}/portrait`, { version: character.version });
    setBusy(null);
    if (result.ok) onChanged(result.data.character);
    else setError(result.error);
  }

  return (
    <div className="space-y-2" data-testid="portrait-control">
      <Portrait projectId={projectId} character={character} size="display" className="aspect-square w-full rounded-xl text-5xl shadow-sm" />
      {canEdit ? (
        <div className="flex flex-wrap items-center gap-2">
          <input ref={input} type="file" accept="image/jpeg,image/png,image/webp,image/gif" className="sr-only" id="portrait-file" data-testid="portrait-file"
            onChange={(e) => e.target.files?.[0] && void send(e.target.files[0])} />
          <Button size="sm" variant="secondary" disabled={!!busy} onClick={() => input.current?.click()} data-testid="portrait-upload">
            {character.imagePath ? 'Replace portrait' : 'Upload portrait'}
          </Button>
          {character.imagePath ? <Button size="sm" variant="ghost" disabled={!!busy} onClick={remove} data-testid="portrait-remove">Remove</Button> : null}
          {busy ? <span role="status" className="text-xs text-stone-500">{busy}</span> : null}
        </div>
      ) : null}
      {canEdit && !error ? <p className="text-xs text-stone-500">JPEG, PNG, WebP or GIF up to 5 MB. Stored as a 1200 px picture and a thumbnail.</p> : null}
      {error ? <p role="alert" className="text-sm text-red-700" data-testid="portrait-error">{error}</p> : null}
    </div>
  );
}
