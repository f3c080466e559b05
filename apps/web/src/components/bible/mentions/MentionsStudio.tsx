'use client';

import { useCallback, useState } from 'react';
import Link from 'next/link';
import type { MentionsOverview } from '@/server/bible/mentions';
import { Alert, Button, EmptyState } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';

const LIVE_TABLES = ['document_mention_scans', 'characters', 'locations'] as const;

/** Where each character appears (chapters, counts, first and last), who is in each chapter, and what to look at. */
export function MentionsStudio({ projectId, initial }: { projectId: string; initial: MentionsOverview }) {
  const [data, setData] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refetch = useCallback(async () => {
    const result = await api<MentionsOverview>('GET', `/api/projects/${projectId}/mentions`);
    if (result.ok) setData(result.data);
  }, [projectId]);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);
  const doc = (id: string, title: string) => <Link href={`/projects/${projectId}/documents/${id}`} className="underline-offset-2 hover:underline">{title}</Link>;

  async function rescan() {
    setBusy(true);
    const result = await api('POST', `/api/projects/${projectId}/mentions/rescan`);
    setBusy(false);
    setError(result.ok ? null : result.error);
    await refetch();
  }

  const { unmentioned, unknownNames } = data.suggestions;
  return (
    <div className="space-y-5" data-testid="mentions-studio">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">Appearances</h2>
        <LiveBadge connected={connected} />
        <span className="text-sm text-stone-500">{data.scannedDocuments} of {data.documents} documents scanned</span>
        <span className="flex-1" />
        <Link href={`/projects/${projectId}/characters/graph`} className="text-sm text-accent underline">Relationship graph</Link>
        {data.canEdit ? <Button size="sm" variant="secondary" onClick={rescan} disabled={busy} data-testid="rescan">{busy ? 'Scanning…' : 'Rescan now'}</Button> : null}
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {unmentioned.length || unknownNames.length ? (
        <section aria-labelledby="suggestions" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950" data-testid="mention-suggestions">
          <h3 id="suggestions" className="font-medium">Suggestions</h3>
          {unmentioned.length ? (
            <p className="mt-1">Never named in the text: {unmentioned.map((c, i) => (
              <span key={c.id}>{i ? ', ' : ''}<Link className="underline" href={`/projects/${projectId}/characters/${c.id}`}>{c.name}</Link></span>
            ))}. Add an alias the text uses, or check whether they belong in this story.</p>
          ) : null}
          {unknownNames.length ? (
            <p className="mt-1">Names in the text that match no character or place: {unknownNames.map((u, i) => (
              <span key={u.name}>{i ? ', ' : ''}<strong>{u.name}</strong> ({u.mentions}× in {u.chapters} document{u.chapters === 1 ? '' : 's'})</span>
            ))}. Add them to the bible, or as an alias.</p>
          ) : null}
        </section>
      ) : null}
      {data.characters.length === 0 ? (
        <EmptyState title="No characters yet">Add characters, and their appearances in the text show here after the next save.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="appearances-table">
            <caption className="sr-only">Where each character appears</caption>
            <thead className="bg-stone-50 text-xs uppercase tracking-wide text-stone-600">
              <tr>
                <th scope="col" className="px-3 py-2">Character</th>
                <th scope="col" className="px-3 py-2">Mentions</th>
                <th scope="col" className="px-3 py-2">First</th>
                <th scope="col" className="px-3 py-2">Last</th>
                <th scope="col" className="hidden px-3 py-2 md:table-cell">Chapters</th>
              </tr>
            </thead>
            <tbody>
              {data.characters.map((c) => (
                <tr key={c.character.id} className="border-t border-stone-100" data-testid="appearance-row">
                  <th scope="row" className="px-3 py-2 font-medium"><Link href={`/projects/${projectId}/characters/${c.character.id}`} className="hover:underline">{c.character.name}</Link></th>
                  <td className="px-3 py-2 tabular-nums">{c.total}</td>
                  <td className="px-3 py-2">{c.first ? doc(c.first.documentId, c.first.title) : '—'}</td>
                  <td className="px-3 py-2">{c.last ? doc(c.last.documentId, c.last.title) : '—'}</td>
                  <td className="hidden px-3 py-2 text-stone-600 md:table-cell">{c.chapters.map((ch) => `${ch.title} (${ch.mentions})`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="cast-by-chapter">
        <h3 id="cast-by-chapter" className="mb-2 font-serif text-lg text-ink">Cast by chapter</h3>
        <ol className="grid gap-2 sm:grid-cols-2" data-testid="cast-by-chapter">
          {data.chapters.map((ch) => (
            <li key={ch.documentId} className="rounded-lg border border-stone-200 bg-white p-3 text-sm">
              <div className="font-medium">{doc(ch.documentId, ch.title)}</div>
              <div className="mt-1 text-stone-600">
                {!ch.scanned ? 'Not scanned yet' : ch.cast.length ? ch.cast.map((x) => `${x.name} (${x.mentions})`).join(', ') : 'No one named'}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
