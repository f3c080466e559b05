'use client';

import { useState, type FormEvent } from 'react';
import type { VersionSummary } from './api';
import { formatCount } from '@/components/ui/format';
import { formatRelative } from '@/components/ui/format';
import { fullTime } from './format';

const REASONS: Record<VersionSummary['reason'], string> = {
  idle: 'Autosaved after a pause',
  interval: 'Autosaved while writing',
  manual: 'Saved version',
  restore: 'Before a restore',
  import: 'Imported',
};

export function versionTitle(version: VersionSummary): string {
  return version.label ?? REASONS[version.reason];
}

export function SaveVersionForm(props: { onSave: (label: string) => Promise<void>; onCancel: () => void }) {
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!label.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSave(label.trim());
      setLabel('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="space-y-2 rounded-lg border border-accent/40 bg-accent-soft p-3" data-testid="save-version-form">
      <label className="block text-sm font-medium text-ink" htmlFor="version-label">
        Name this version
      </label>
      <input
        id="version-label"
        autoFocus
        value={label}
        maxLength={120}
        onChange={(event) => setLabel(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && props.onCancel()}
        placeholder="e.g. Draft sent to agent"
        className="block w-full rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm focus:border-accent focus:outline-none"
      />
      {error && (
        <p className="text-xs text-red-700" role="alert">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <button type="button" onClick={props.onCancel} className="rounded-md px-2.5 py-1 text-sm text-stone-600 hover:bg-stone-100">
          Cancel
        </button>
        <button
          type="submit"
          disabled={!label.trim() || busy}
          className="rounded-md bg-accent px-3 py-1 text-sm font-medium text-white hover:bg-[#7c2d12] disabled:bg-stone-300"
        >
          {busy ? 'Saving…' : 'Save version'}
        </button>
      </div>
    </form>
  );
}

export function HistoryPanel(props: {
  versions: VersionSummary[];
  loading: boolean;
  error: string | null;
  selectedId: string | null;
  canEdit: boolean;
  myUserId: string;
  naming: boolean;
  onStartNaming: () => void;
  onSave: (label: string) => Promise<void>;
  onCancelNaming: () => void;
  onSelect: (versionId: string) => void;
  onRetry: () => void;
}) {
  return (
    <div className="flex h-full flex-col" data-testid="history-panel">
      <div className="space-y-3 border-b border-stone-200 p-3">
        {props.canEdit &&
          (props.naming ? (
            <SaveVersionForm onSave={props.onSave} onCancel={props.onCancelNaming} />
          ) : (
            <button
              type="button"
              onClick={props.onStartNaming}
              className="w-full rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium text-ink hover:bg-stone-50"
            >
              Save a named version
            </button>
          ))}
        <p className="text-xs text-stone-500">Versions are also kept automatically after a pause in writing and before every restore.</p>
      </div>
      <div className="flex-1 overflow-y-auto p-2">
        {props.error && (
          <div className="m-1 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" role="alert">
            {props.error}{' '}
            <button type="button" className="font-medium underline" onClick={props.onRetry}>
              Try again
            </button>
          </div>
        )}
        {props.loading && !props.versions.length ? (
          <div className="space-y-2 p-1" aria-label="Loading history">
            {[0, 1, 2].map((i) => (
              <div key={i} className="h-14 animate-pulse rounded-md bg-stone-200/60" />
            ))}
          </div>
        ) : props.versions.length === 0 ? (
          <div className="px-3 py-10 text-center" data-testid="history-empty">
            <p className="font-serif text-base text-ink">No versions yet</p>
            <p className="mt-1 text-sm text-stone-500">
              {props.canEdit ? 'Save one now, or keep writing: a version is kept after each pause.' : 'Versions appear here as the writers work.'}
            </p>
          </div>
        ) : (
          <ol className="space-y-1">
            {props.versions.map((version) => {
              const selected = version.id === props.selectedId;
              return (
                <li key={version.id}>
                  <button
                    type="button"
                    onClick={() => props.onSelect(version.id)}
                    className={`w-full rounded-md px-3 py-2 text-left transition-colors ${selected ? 'bg-ink text-white' : 'hover:bg-stone-100'}`}
                    aria-current={selected ? 'true' : undefined}
                    data-testid="version-item"
                    data-version-id={version.id}
                  >
                    <span className={`block truncate text-sm font-medium ${version.label ? '' : selected ? 'text-stone-200' : 'text-stone-600'}`}>
                      {versionTitle(version)}
                    </span>
                    <span className={`mt-0.5 block text-xs ${selected ? 'text-stone-300' : 'text-stone-500'}`}>
                      <time dateTime={version.createdAt} title={fullTime(version.createdAt)}>
                        {formatRelative(version.createdAt)}
                      </time>
                      {' · '}
                      {version.userId === props.myUserId ? 'you' : (version.authorName ?? 'Quire')}
                      {' · '}
                      {formatCount(version.wordCount, 'word')}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </div>
  );
}
