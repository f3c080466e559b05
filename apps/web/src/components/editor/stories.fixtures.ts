/**
 * Made-up data for the editor panels' stories: two co-writers and a reviewer on one chapter. Times are relative to
 * when the story opens, so "5 minutes ago" reads the same on any day.
 */
import { fn } from 'storybook/test';
import type { CommentDto, VersionSummary } from './api';
import type { Thread } from './CommentsPanel';
import { colorFor } from './format';
import type { PresentUser } from './Presence';

export const people = {
  me: { id: '7d1c0e0a-0000-4000-8000-000000000001', name: 'Ada Quill' },
  coWriter: { id: '7d1c0e0a-0000-4000-8000-000000000002', name: 'Ben Okafor' },
  reviewer: { id: '7d1c0e0a-0000-4000-8000-000000000003', name: 'Chiara Rossi' },
} as const;

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

let next = 0;
function comment(partial: Partial<CommentDto> & Pick<CommentDto, 'userId' | 'authorName' | 'body'>): CommentDto {
  const createdAt = partial.createdAt ?? minutesAgo(30);
  next += 1;
  return {
    id: `c0000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    parentId: null,
    anchor: { from: 'AQ==', to: 'Ag==' },
    quote: null,
    resolvedAt: null,
    resolvedBy: null,
    resolvedByName: null,
    updatedAt: createdAt,
    ...partial,
    createdAt,
  };
}

function thread(root: CommentDto, replies: Array<Omit<Parameters<typeof comment>[0], 'parentId'>> = [], range: Thread['range'] = { from: 10, to: 40 }): Thread {
  return { root, replies: replies.map((reply) => comment({ ...reply, parentId: root.id, anchor: null })), range };
}

export const threads: Thread[] = [
  thread(
    comment({
      userId: people.reviewer.id,
      authorName: people.reviewer.name,
      body: 'Does she already know about the letter here? Chapter 3 suggests not.',
      quote: 'Mara folded the letter twice and slid it under the salt jar.',
      createdAt: minutesAgo(95),
    }),
    [
      { userId: people.me.id, authorName: people.me.name, body: 'Good catch. She finds it in 3; I will move this beat.', createdAt: minutesAgo(60) },
      { userId: people.coWriter.id, authorName: people.coWriter.name, body: 'Or keep it and cut the reveal in 3?', createdAt: minutesAgo(12) },
    ],
  ),
  thread(
    comment({
      userId: people.me.id,
      authorName: people.me.name,
      body: 'Placeholder name: check the map for the real harbour.',
      quote: 'the harbour at Wennick',
      createdAt: minutesAgo(300),
    }),
  ),
  thread(
    comment({
      userId: people.coWriter.id,
      authorName: people.coWriter.name,
      body: 'This paragraph was cut in the last pass; keeping the note for the rewrite.',
      quote: 'The storm came in low over the dunes, and nobody spoke of the ship again.',
      createdAt: minutesAgo(2 * 24 * 60),
    }),
    [],
    null,
  ),
  thread(
    comment({
      userId: people.reviewer.id,
      authorName: people.reviewer.name,
      body: 'Tense slips from past to present in this sentence.',
      quote: 'She walks to the door',
      createdAt: minutesAgo(3 * 24 * 60),
      resolvedAt: minutesAgo(26 * 60),
      resolvedBy: people.me.id,
      resolvedByName: people.me.name,
    }),
  ),
];

export const versions: VersionSummary[] = [
  { id: 'v0000000-0000-4000-8000-000000000004', label: 'Draft sent to agent', reason: 'manual', wordCount: 4_812, createdAt: minutesAgo(8), userId: people.me.id, authorName: people.me.name },
  { id: 'v0000000-0000-4000-8000-000000000003', label: null, reason: 'idle', wordCount: 4_790, createdAt: minutesAgo(45), userId: people.coWriter.id, authorName: people.coWriter.name },
  { id: 'v0000000-0000-4000-8000-000000000002', label: null, reason: 'restore', wordCount: 4_102, createdAt: minutesAgo(26 * 60), userId: people.me.id, authorName: people.me.name },
  { id: 'v0000000-0000-4000-8000-000000000001', label: null, reason: 'import', wordCount: 3_950, createdAt: minutesAgo(9 * 24 * 60), userId: null, authorName: null },
];

export function present(...who: Array<{ id: string; name: string }>): PresentUser[] {
  return who.map((person) => ({ key: person.id, userId: person.id, name: person.name, color: colorFor(person.id), isMe: person.id === people.me.id }));
}

/** Panel callbacks that resolve at once, so forms in a story finish their round trip. */
export const resolves = () => fn(async () => {});
