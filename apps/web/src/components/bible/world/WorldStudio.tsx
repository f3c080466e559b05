'use client';

import { useCallback, useState } from 'react';
import Link from 'next/link';
import { LOCATION_KINDS, LOCATION_KIND_LABELS, withinLocation, type LocationKind } from '@quire/domain/bible/locations';
import type { LocationDto, WorldBoard } from '@/server/bible/locations';
import { Alert, Button, EmptyState, inputClass } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';
import { PictureThumb, sendPicture } from '@/components/storage/PictureUpload';
import { LocationProfile } from './LocationProfile';

const LIVE_TABLES = ['locations', 'location_events', 'document_mention_scans'] as const;

interface Draft {
  id: string | null;
  version: number;
  name: string;
  kind: LocationKind;
  summary: string;
  parentId: string;
}

const draftOf = (l: LocationDto): Draft => ({ id: l.id, version: l.version, name: l.name, kind: l.kind, summary: l.summary, parentId: l.parentId ?? '' });

/** Places, nested: a country holds its cities, a city its districts. Each shows its events and how often the text names it. */
export function WorldStudio({ projectId, initial }: { projectId: string; initial: WorldBoard }) {
  const [world, setWorld] = useState(initial);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [conflict, setConflict] = useState<LocationDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const refetch = useCallback(async () => {
    const result = await api<WorldBoard>('GET', `/api/projects/${projectId}/locations`);
    if (result.ok) setWorld(result.data);
  }, [projectId]);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const fields = { name: draft.name, kind: draft.kind, summary: draft.summary, parentId: draft.parentId || null };
    const result = draft.id
      ? await api('PATCH', `/api/projects/${projectId}/locations/${draft.id}`, { version: draft.version, patch: fields })
      : await api('POST', `/api/projects/${projectId}/locations`, fields);
    if (result.ok) {
      setDraft(null);
      setConflict(null);
      setError(null);
    } else {
      if (result.status === 409 && result.current) setConflict(result.current as LocationDto);
      setError(result.error);
    }
    await refetch();
  }

  async function remove(l: LocationDto) {
    const result = await api('DELETE', `/api/projects/${projectId}/locations/${l.id}`);
    setError(result.ok ? null : result.error);
    await refetch();
  }

  const pictureUrl = (l: LocationDto) => `/api/projects/${projectId}/locations/${l.id}/image?version=${l.version}`;
  const pictureRefusal = (status: number, message: string) =>
    status === 409 ? 'Someone else changed this place just now. Try again: their change is shown.' : message;

  async function uploadPicture(l: LocationDto, file: File): Promise<string | null> {
    const result = await sendPicture(pictureUrl(l), file);
    await refetch();
    return result.ok ? null : pictureRefusal(result.status, result.error);
  }

  async function removePicture(l: LocationDto): Promise<string | null> {
    const result = await api('DELETE', pictureUrl(l));
    await refetch();
    return result.ok ? null : pictureRefusal(result.status, result.error);
  }

  const open = world.locations.find((l) => l.id === openId) ?? null;
  const pathOf = (l: LocationDto): LocationDto[] => {
    const out: LocationDto[] = [];
    const byId = new Map(world.locations.map((x) => [x.id, x]));
    for (let p = l.parentId ? byId.get(l.parentId) : undefined; p && out.length < 12; p = p.parentId ? byId.get(p.parentId) : undefined) out.unshift(p);
    return out;
  };

  // a place cannot move inside itself: those choices are left out of its parent list
  const excluded = draft?.id ? withinLocation(world.locations, draft.id) : new Set<string>();

  return (
    <div className="space-y-4" data-testid="world-studio">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">World</h2>
        <LiveBadge connected={connected} />
        <span className="flex-1" />
        <Link href={`/projects/${projectId}/characters/graph`} className="text-sm text-accent underline">Relationships</Link>
        <Link href={`/projects/${projectId}/characters/mentions`} className="text-sm text-accent underline">Appearances</Link>
        {world.canEdit ? (
          <Button size="sm" data-testid="add-location" onClick={() => { setDraft({ id: null, version: 0, name: '', kind: 'city', summary: '', parentId: '' }); setConflict(null); }}>
            Add location
          </Button>
        ) : null}
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {draft ? (
        <form onSubmit={save} className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2" data-testid="location-form" aria-label={draft.id ? 'Edit location' : 'New location'}>
          {conflict ? (
            <p className="sm:col-span-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
              Their version: “{conflict.name}”, {LOCATION_KIND_LABELS[conflict.kind]}. {' '}
              <button type="button" className="underline" onClick={() => { setDraft({ ...draft, version: conflict.version }); setConflict(null); setError(null); }}>Keep mine (apply on top)</button>
              {' · '}<button type="button" className="underline" onClick={() => { setDraft(draftOf(conflict)); setConflict(null); setError(null); }}>Take theirs</button>
            </p>
          ) : null}
          <label className="text-sm">Name
            <input className={inputClass} value={draft.name} maxLength={200} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="location-name" autoFocus />
          </label>
          <label className="text-sm">Kind
            <select className={inputClass} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as LocationKind })} data-testid="location-kind">
              {LOCATION_KINDS.map((k) => <option key={k} value={k}>{LOCATION_KIND_LABELS[k]}</option>)}
            </select>
          </label>
          <label className="text-sm">Within
            <select className={inputClass} value={draft.parentId} onChange={(e) => setDraft({ ...draft, parentId: e.target.value })} data-testid="location-parent">
              <option value="">— the top level —</option>
              {world.locations.filter((l) => !excluded.has(l.id)).map((l) => (
                <option key={l.id} value={l.id}>{'\u00a0\u00a0'.repeat(l.depth)}{l.name}</option>
              ))}
            </select>
          </label>
          <label className="text-sm">Summary
            <input className={inputClass} value={draft.summary} maxLength={2000} onChange={(e) => setDraft({ ...draft, summary: e.target.value })} />
          </label>
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" size="sm" data-testid="location-save">{draft.id ? 'Save' : 'Add'}</Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => { setDraft(null); setConflict(null); setError(null); }}>Cancel</Button>
          </div>
        </form>
      ) : null}
      <div className={open ? 'grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem] lg:items-start' : undefined}>
        {open ? (
          <div className="lg:sticky lg:top-4 lg:order-2">
            <LocationProfile
              key={open.id}
              projectId={projectId}
              location={open}
              path={pathOf(open)}
              canEdit={world.canEdit}
              onUpload={(file) => uploadPicture(open, file)}
              onRemovePicture={() => removePicture(open)}
              onEdit={() => { setDraft(draftOf(open)); setConflict(null); }}
              onClose={() => setOpenId(null)}
            />
          </div>
        ) : null}
        <div className="min-w-0 lg:order-1">
          {world.locations.length === 0 ? (
            <EmptyState title="No locations yet">
              {world.canEdit ? 'Add the places of your story. Nest them — a city within a country, a room within a house — and put events on the timeline.' : 'No one has added a location yet.'}
            </EmptyState>
          ) : (
            <ul role="tree" aria-label="Locations" className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white" data-testid="location-tree">
              {world.locations.map((l) => (
                <li key={l.id} role="treeitem" aria-level={l.depth + 1} aria-selected={false} className={`flex flex-wrap items-center gap-2 px-3 py-2 sm:flex-nowrap ${openId === l.id ? 'bg-amber-50/70' : ''}`} style={{ paddingLeft: `${0.75 + l.depth * 1.25}rem` }} data-testid="location-row">
                  <button
                    type="button"
                    className="flex min-w-0 shrink-0 items-center gap-2 rounded text-left font-medium text-ink hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/40"
                    onClick={() => setOpenId(openId === l.id ? null : l.id)}
                    aria-expanded={openId === l.id}
                    data-testid="location-open"
                  >
                    <PictureThumb picture={l.picture} name={l.name} size="sm" />
                    <span className="max-w-[14rem] truncate">{l.name}</span>
                  </button>
                  <span className="shrink-0 rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-600">{LOCATION_KIND_LABELS[l.kind]}</span>
                  <span className="hidden min-w-0 flex-1 truncate text-sm text-stone-600 sm:block">{l.summary}</span>
                  <span className="flex-1 sm:hidden" />
                  <Link href={`/projects/${projectId}/timeline?locationId=${l.id}`} className="shrink-0 whitespace-nowrap text-xs text-stone-600 underline">{l.events} event{l.events === 1 ? '' : 's'}</Link>
                  <span className="shrink-0 whitespace-nowrap text-xs text-stone-500">{l.mentions} mention{l.mentions === 1 ? '' : 's'}</span>
                  {world.canEdit ? (
                    <>
                      <Button size="sm" variant="secondary" className="shrink-0" onClick={() => { setDraft(draftOf(l)); setConflict(null); }} aria-label={`Edit ${l.name}`}>Edit</Button>
                      <Button size="sm" variant="ghost" className="shrink-0" onClick={() => remove(l)} aria-label={`Delete ${l.name}`}>Delete</Button>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}
