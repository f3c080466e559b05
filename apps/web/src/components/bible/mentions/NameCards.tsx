'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import Link from 'next/link';
import type { Editor } from '@tiptap/core';
import { compileMatcher, mentionTargets, scanText, type MentionHit, type MentionMatcher } from '@quire/domain/bible/mentions';
import type { BibleCards } from '@/server/bible/mentions';
import { api } from '@/components/structure/api';
import { Portrait } from '../characters/portrait';

interface Shown {
  hit: MentionHit;
  left: number;
  top: number;
  pinned: boolean;
}

const ROLE_LABELS: Record<string, string> = {
  protagonist: 'Protagonist', antagonist: 'Antagonist', deuteragonist: 'Deuteragonist', love_interest: 'Love interest',
  mentor: 'Mentor', supporting: 'Supporting', minor: 'Minor', other: 'Other',
};

/** The mention under a point of the page, found with the same matcher the mentions job uses. */
function hitAt(editor: Editor, matcher: MentionMatcher, cache: Map<string, MentionHit[]>, x: number, y: number): MentionHit | null {
  const at = editor.view.posAtCoords({ left: x, top: y });
  if (!at || at.inside < -1) return null;
  const $pos = editor.state.doc.resolve(at.pos);
  if (!$pos.parent.isTextblock) return null;
  const text = $pos.parent.textContent;
  let hits = cache.get(text);
  if (!hits) {
    hits = scanText(matcher, text, { unknown: false }).hits;
    if (cache.size > 500) cache.clear();
    cache.set(text, hits);
  }
  const offset = $pos.parentOffset;
  return hits.find((h) => h.start <= offset && offset < h.end) ?? null;
}

/**
 * Hovering or clicking a known character's or place's name in the editor shows a small card with their profile.
 * It reads the page as it is (no marks in the document), so co-writers' text and old drafts get cards too.
 */
export function NameCards({ projectId, editor }: { projectId: string; editor: Editor | null }) {
  const [bible, setBible] = useState<BibleCards | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const cache = useRef(new Map<string, MentionHit[]>());

  useEffect(() => {
    let live = true;
    const load = async () => {
      const result = await api<BibleCards>('GET', `/api/projects/${projectId}/bible-cards`);
      if (live && result.ok) setBible(result.data);
    };
    void load();
    // names change rarely while writing: catch up when the writer comes back to the tab
    window.addEventListener('focus', load);
    return () => {
      live = false;
      window.removeEventListener('focus', load);
    };
  }, [projectId]);

  const matcher = useMemo(() => {
    cache.current.clear();
    return bible ? compileMatcher(mentionTargets(bible.characters, bible.locations)) : null;
  }, [bible]);

  useEffect(() => {
    if (!editor || !matcher) return;
    const dom = editor.view.dom as HTMLElement;
    let timer: number | undefined;
    const place = (event: MouseEvent, pinned: boolean) => {
      const hit = hitAt(editor, matcher, cache.current, event.clientX, event.clientY);
      if (!hit) {
        setShown((s) => (s && s.pinned && !pinned ? s : null));
        return;
      }
      const box = dom.getBoundingClientRect();
      setShown({ hit, left: Math.min(event.clientX - box.left, box.width - 260), top: event.clientY - box.top + 18, pinned });
    };
    const move = (event: MouseEvent) => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => place(event, false), 180);
    };
    const click = (event: MouseEvent) => place(event, true);
    const key = (event: KeyboardEvent) => event.key === 'Escape' && setShown(null);
    dom.addEventListener('mousemove', move);
    dom.addEventListener('click', click);
    window.addEventListener('keydown', key);
    return () => {
      window.clearTimeout(timer);
      dom.removeEventListener('mousemove', move);
      dom.removeEventListener('click', click);
      window.removeEventListener('keydown', key);
    };
  }, [editor, matcher]);

  if (!shown || !bible) return null;
  const character = shown.hit.kind === 'character' ? bible.characters.find((c) => c.id === shown.hit.id) : undefined;
  const location = shown.hit.kind === 'location' ? bible.locations.find((l) => l.id === shown.hit.id) : undefined;
  if (!character && !location) return null;
  return (
    <div role="dialog" aria-label={character ? `About ${character.name}` : `About ${location!.name}`} data-testid="name-card"
      className="absolute z-30 w-72 rounded-lg border border-stone-200 bg-white p-3 text-sm shadow-lg"
      style={{ left: Math.max(0, shown.left), top: shown.top }}
      onMouseLeave={() => !shown.pinned && setShown(null)}>
      {character ? (
        <>
          <div className="flex items-center gap-2">
            <Portrait projectId={projectId} character={character} size="thumb" className="h-10 w-10 shrink-0 rounded-md text-sm" />
            <div className="min-w-0 flex-1">
              <div className="font-serif text-base leading-tight text-ink">{character.name}</div>
              <div className="text-xs text-stone-500">
                {ROLE_LABELS[character.role] ?? character.role}
                {character.aliases.length ? ` · also ${character.aliases.join(', ')}` : ''}
              </div>
            </div>
          </div>
          {character.summary ? <p className="mt-1 text-stone-700">{character.summary}</p> : null}
          <Link href={`/projects/${projectId}/characters/${character.id}`} className="mt-2 inline-block text-xs text-accent underline">Open profile</Link>
        </>
      ) : (
        <>
          <div className="font-serif text-base text-ink">{location!.name}</div>
          <div className="text-xs text-stone-500">{location!.path.join(' › ')}</div>
          {location!.summary ? <p className="mt-1 text-stone-700">{location!.summary}</p> : null}
          <Link href={`/projects/${projectId}/timeline?locationId=${location!.id}`} className="mt-2 inline-block text-xs text-accent underline">Events here</Link>
        </>
      )}
    </div>
  );
}
