'use client';

import type { Connection } from './useCollaboration';

export type SaveStatus = 'connecting' | 'offline' | 'saving' | 'saved' | 'read-only' | 'refused';

/**
 * One word for the state of the writer's work. "Saved" only once the collab server has reported that everything
 * this browser has is stored in Postgres; offline, edits stay in the browser until the connection returns.
 */
export function saveStatus(input: { connection: Connection; stored: boolean; synced: boolean; readOnly: boolean; refused: boolean }): SaveStatus {
  if (input.refused) return 'refused';
  if (input.connection === 'offline') return 'offline';
  if (input.connection === 'connecting' || !input.synced) return 'connecting';
  if (input.readOnly) return 'read-only';
  return input.stored ? 'saved' : 'saving';
}

const LOOK: Record<SaveStatus, { label: string; dot: string; title: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400 animate-pulse', title: 'Opening the live connection' },
  offline: { label: 'Offline', dot: 'bg-stone-400', title: 'Edits are kept in this browser and sync when the connection returns' },
  saving: { label: 'Saving…', dot: 'bg-sky-500 animate-pulse', title: 'Sending your latest changes' },
  saved: { label: 'Saved', dot: 'bg-emerald-500', title: 'Every change is stored' },
  'read-only': { label: 'Live', dot: 'bg-emerald-500', title: 'Connected; you are reading live' },
  refused: { label: 'Not connected', dot: 'bg-rose-500', title: 'The live connection was refused' },
};

export function StatusBadge({ status, unsyncedOffline }: { status: SaveStatus; unsyncedOffline: boolean }) {
  const look = LOOK[status];
  const label = status === 'offline' && unsyncedOffline ? 'Offline · kept on this device' : look.label;
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full border border-stone-200 bg-white px-3 py-1 text-xs font-medium whitespace-nowrap text-stone-700"
      role="status"
      aria-live="polite"
      title={look.title}
      data-testid="save-status"
      data-status={status}
    >
      <span className={`size-2 rounded-full ${look.dot}`} aria-hidden />
      {label}
    </span>
  );
}
