'use client';

import { useCallback, useEffect, useState } from 'react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { EventDto, Timeline } from '@/server/bible/timeline';
import { Alert, Button, EmptyState, inputClass } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';

const LIVE_TABLES = ['locations', 'location_events', 'location_event_characters', 'characters'] as const;

interface Draft {
  id: string | null;
  version: number;
  title: string;
  locationId: string;
  storyTime: string;
  sequence: string;
  description: string;
  documentId: string;
  characterIds: string[];
}

const draftOf = (e: EventDto): Draft => ({
  id: e.id, version: e.version, title: e.title, locationId: e.locationId, storyTime: e.storyTime ?? '', sequence: String(e.sequence),
  description: e.description, documentId: e.documentId ?? '', characterIds: [...e.characterIds],
});

/** Every event at every place, in story order; filter by a place (and the places within it) and by a character. */
export function TimelineStudio({ projectId, initial }: { projectId: string; initial: Timeline }) {
  const params = useSearchParams();
  const [timeline, setTimeline] = useState(initial);
  const [filter, setFilter] = useState({ locationId: params.get('locationId') ?? '', characterId: params.get('characterId') ?? '' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refetch = useCallback(async () => {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
    const result = await api<Timeline>('GET', `/api/projects/${projectId}/timeline?${query}`);
    if (result.ok) setTimeline(result.data);
  }, [projectId, filter]);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);
  useEffect(() => {
    void refetch();
  }, [refetch]);

  const characterName = new Map(timeline.characters.map((c) => [c.id, c.name]));
  const docTitle = new Map(timeline.documents.map((d) => [d.id, d.title]));

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const fields = {
      title: draft.title, locationId: draft.locationId, storyTime: draft.storyTime || null, description: draft.description,
      documentId: draft.documentId || null, characterIds: draft.characterIds,
      ...(draft.sequence.trim() ? { sequence: Number(draft.sequence) } : {}),
    };
    const result = draft.id
      ? await api('PATCH', `/api/projects/${projectId}/timeline/${draft.id}`, { version: draft.version, patch: fields })
      : await api('POST', `/api/projects/${projectId}/timeline`, fields);
    if (result.ok) {
      setDraft(null);
      setError(null);
    } else if (result.status === 409 && result.current) {
      const theirs = result.current as EventDto;
      setError(`${result.error} Theirs: “${theirs.title}” at order ${theirs.sequence}. Save again to apply yours on top.`);
      setDraft({ ...draft, version: theirs.version });
    } else setError(result.error);
    await refetch();
  }

  async function remove(e: EventDto) {
    const result = await api('DELETE', `/api/projects/${projectId}/timeline/${e.id}`);
    setError(result.ok ? null : result.error);
    await refetch();
  }

  const select = (key: 'locationId' | 'characterId', label: string, options: Array<{ id: string; name: string; depth?: number }>, all: string) => (
    <label className="text-sm text-stone-700">
      <span className="sr-only">{label}</span>
      <select aria-label={label} value={filter[key]} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })} data-testid={`timeline-${key}`}
        className="rounded-md border border-stone-300 px-2 py-1 text-sm">
        <option value="">{all}</option>
        {options.map((o) => <option key={o.id} value={o.id}>{'\u00a0\u00a0'.repeat(o.depth ?? 0)}{o.name}</option>)}
      </select>
    </label>
  );

  return (
    <div className="space-y-4" data-testid="timeline-studio">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">Timeline</h2>
        <LiveBadge connected={connected} />
        <span className="flex-1" />
        {select('locationId', 'Filter by location', timeline.locations, 'All locations')}
        {select('characterId', 'Filter by character', timeline.characters, 'All characters')}
        {timeline.canEdit && timeline.locations.length ? (
          <Button size="sm" data-testid="add-event" onClick={() => setDraft({
            id: null, version: 0, title: '', locationId: filter.locationId || timeline.locations[0]!.id, storyTime: '', sequence: '', description: '', documentId: '',
            characterIds: filter.characterId ? [filter.characterId] : [],
          })}>Add event</Button>
        ) : null}
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {draft ? (
        <form onSubmit={save} className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2" data-testid="event-form" aria-label={draft.id ? 'Edit event' : 'New event'}>
          <label className="text-sm">Title
            <input className={inputClass} value={draft.title} required maxLength={200} onChange={(e) => setDraft({ ...draft, title: e.target.value })} data-testid="event-title" autoFocus />
          </label>
          <label className="text-sm">Where
            <select className={inputClass} value={draft.locationId} onChange={(e) => setDraft({ ...draft, locationId: e.target.value })} data-testid="event-location">
              {timeline.locations.map((l) => <option key={l.id} value={l.id}>{'\u00a0\u00a0'.repeat(l.depth)}{l.name}</option>)}
            </select>
          </label>
          <label className="text-sm">When in the story
            <input className={inputClass} value={draft.storyTime} maxLength={200} placeholder="Year 3, first snow" onChange={(e) => setDraft({ ...draft, storyTime: e.target.value })} data-testid="event-time" />
          </label>
          <label className="text-sm">Order
            <input className={inputClass} inputMode="numeric" value={draft.sequence} placeholder="last" onChange={(e) => setDraft({ ...draft, sequence: e.target.value })} data-testid="event-sequence" />
          </label>
          <label className="text-sm">Happens in
            <select className={inputClass} value={draft.documentId} onChange={(e) => setDraft({ ...draft, documentId: e.target.value })}>
              <option value="">— not linked —</option>
              {timeline.documents.map((d) => <option key={d.id} value={d.id}>{d.title}</option>)}
            </select>
          </label>
          <fieldset className="text-sm sm:col-span-2">
            <legend>Characters involved</legend>
            <div className="mt-1 flex max-h-32 flex-wrap gap-2 overflow-y-auto">
              {timeline.characters.map((c) => (
                <label key={c.id} className="inline-flex items-center gap-1 rounded-full border border-stone-200 px-2 py-0.5 text-xs">
                  <input type="checkbox" checked={draft.characterIds.includes(c.id)}
                    onChange={(e) => setDraft({ ...draft, characterIds: e.target.checked ? [...draft.characterIds, c.id] : draft.characterIds.filter((x) => x !== c.id) })} />
                  {c.name}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="text-sm sm:col-span-2">Description
            <textarea className={inputClass} rows={2} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
          </label>
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" size="sm" data-testid="event-save">{draft.id ? 'Save' : 'Add'}</Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => { setDraft(null); setError(null); }}>Cancel</Button>
          </div>
        </form>
      ) : null}
      {timeline.locations.length === 0 ? (
        <EmptyState title="No places yet">Events happen somewhere: add locations on the <Link className="underline" href={`/projects/${projectId}/world`}>World</Link> tab first.</EmptyState>
      ) : timeline.events.length === 0 ? (
        <EmptyState title={timeline.total ? 'Nothing matches these filters' : 'No events yet'}>
          {timeline.total ? 'Clear a filter to see more of the timeline.' : timeline.canEdit ? 'Add the first event: what happens, where, when in the story, and who is there.' : 'No one has added an event yet.'}
        </EmptyState>
      ) : (
        <ol className="relative space-y-3 border-l-2 border-stone-200 pl-5" aria-label="Events in story order" data-testid="timeline-events">
          {timeline.events.map((e) => (
            <li key={e.id} className="relative rounded-lg border border-stone-200 bg-white p-3" data-testid="timeline-event">
              <span aria-hidden className="absolute -left-[1.72rem] top-4 h-3 w-3 rounded-full border-2 border-white bg-accent" />
              <div className="flex flex-wrap items-baseline gap-2">
                <span className="text-xs font-medium uppercase tracking-wide text-stone-500">{e.storyTime ?? `#${e.sequence}`}</span>
                <h3 className="font-medium text-ink">{e.title}</h3>
                <span className="text-sm text-stone-600">{e.locationPath.join(' › ')}</span>
                <span className="flex-1" />
                {timeline.canEdit ? (
                  <>
                    <Button size="sm" variant="secondary" onClick={() => setDraft(draftOf(e))} aria-label={`Edit ${e.title}`}>Edit</Button>
                    <Button size="sm" variant="ghost" onClick={() => remove(e)} aria-label={`Delete ${e.title}`}>Delete</Button>
                  </>
                ) : null}
              </div>
              {e.description ? <p className="mt-1 text-sm text-stone-700">{e.description}</p> : null}
              <div className="mt-1 flex flex-wrap gap-1.5 text-xs">
                {e.characterIds.map((id) => (
                  <Link key={id} href={`/projects/${projectId}/characters/${id}`} className="rounded-full bg-stone-100 px-2 py-0.5 text-stone-700 hover:bg-stone-200">{characterName.get(id)}</Link>
                ))}
                {e.documentId ? <Link href={`/projects/${projectId}/documents/${e.documentId}`} className="text-accent underline">in “{docTitle.get(e.documentId) ?? 'the text'}”</Link> : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
