'use client';

import { generateHTML } from '@tiptap/core';
import { manuscriptExtensions } from '@quire/domain/manuscript';
import { useMemo, useState } from 'react';
import type { VersionDetail } from './api';
import { diffStats, diffWords } from './diff';
import { formatCount } from '@/components/ui/format';
import { fullTime } from './format';
import { icons } from './icons';
import { versionTitle } from './HistoryPanel';

function renderVersion(content: unknown): string | null {
  if (!content || typeof content !== 'object') return null;
  try {
    return generateHTML(content as Parameters<typeof generateHTML>[0], manuscriptExtensions());
  } catch {
    return null;
  }
}

/**
 * One version in place of the live editor: its text as it was, or what changed between it and the text now
 * (word by word), with restore for editors. The live document keeps syncing underneath.
 */
export function VersionView(props: {
  version: VersionDetail | null;
  loading: boolean;
  error: string | null;
  currentText: () => string;
  screenplay: boolean;
  canRestore: boolean;
  myUserId: string;
  onRestore: () => Promise<void>;
  onClose: () => void;
}) {
  const [tab, setTab] = useState<'changes' | 'text'>('changes');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { version } = props;
  const html = useMemo(() => (version ? renderVersion(version.content) : null), [version]);
  const parts = useMemo(() => (version ? diffWords(version.plainText, props.currentText()) : []), [version]); // eslint-disable-line react-hooks/exhaustive-deps
  const stats = useMemo(() => diffStats(parts), [parts]);

  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onRestore();
      setConfirming(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex h-full flex-col" data-testid="version-view">
      <div className="flex flex-wrap items-center gap-3 border-b border-stone-200 bg-white px-4 py-3">
        <button type="button" onClick={props.onClose} className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm text-stone-600 hover:bg-stone-100" data-testid="close-version">
          {icons.back}
          Back to the draft
        </button>
        <div className="min-w-0 flex-1">
          {version ? (
            <>
              <p className="truncate font-serif text-lg text-ink">{versionTitle(version)}</p>
              <p className="text-xs text-stone-500">
                {fullTime(version.createdAt)} · {version.userId === props.myUserId ? 'you' : (version.authorName ?? 'Quire')} · {formatCount(version.wordCount, 'word')}
              </p>
            </>
          ) : (
            <p className="text-sm text-stone-500">{props.loading ? 'Loading version…' : ' '}</p>
          )}
        </div>
        {version && props.canRestore && (
          confirming ? (
            <div className="flex items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-900">
              <span>Replace the draft for everyone?</span>
              <button type="button" disabled={busy} onClick={() => void restore()} className="rounded bg-accent px-2 py-0.5 font-medium text-white disabled:opacity-60" data-testid="confirm-restore">
                {busy ? 'Restoring…' : 'Restore'}
              </button>
              <button type="button" onClick={() => setConfirming(false)} className="px-1 hover:underline">
                Cancel
              </button>
            </div>
          ) : (
            <button
              type="button"
              onClick={() => setConfirming(true)}
              className="inline-flex items-center gap-1.5 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-[#7c2d12]"
              data-testid="restore-version"
            >
              {icons.restore}
              Restore this version
            </button>
          )
        )}
      </div>
      {error && (
        <p className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900" role="alert">
          {error}
        </p>
      )}
      {props.error ? (
        <div className="p-8 text-center text-sm text-red-900" role="alert">
          {props.error}
        </div>
      ) : !version ? (
        <div className="mx-auto w-full max-w-[46rem] space-y-3 p-10" aria-label="Loading version">
          {[90, 100, 70, 95, 60].map((w, i) => (
            <div key={i} className="h-4 animate-pulse rounded bg-stone-200/70" style={{ width: `${w}%` }} />
          ))}
        </div>
      ) : (
        <>
          <div className="flex items-center gap-4 border-b border-stone-200 bg-stone-50 px-4" role="tablist">
            {(['changes', 'text'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                onClick={() => setTab(t)}
                className={`-mb-px border-b-2 py-2 text-sm font-medium ${tab === t ? 'border-accent text-ink' : 'border-transparent text-stone-500 hover:text-ink'}`}
                data-testid={`version-tab-${t}`}
              >
                {t === 'changes' ? 'Changes since' : 'This version'}
              </button>
            ))}
            {tab === 'changes' && (
              <p className="ml-auto text-xs text-stone-600" data-testid="diff-stats">
                {stats.added > 0 && <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-emerald-900">+{formatCount(stats.added, 'word')} written since</span>}{' '}
                {stats.removed > 0 && <span className="rounded bg-rose-100 px-1.5 py-0.5 text-rose-900">−{formatCount(stats.removed, 'word')} cut since</span>}
              </p>
            )}
          </div>
          <div className="flex-1 overflow-y-auto bg-stone-100/60 px-3 py-6 sm:px-8">
            <div className="quire-page mx-auto w-full max-w-[46rem] rounded-sm bg-white px-6 py-10 shadow-sm ring-1 ring-stone-200 sm:px-14">
              {tab === 'changes' ? (
                parts.every((p) => p.type === 'equal') ? (
                  <p className="text-center text-sm text-stone-500" data-testid="diff-none">
                    The draft is the same as this version.
                  </p>
                ) : (
                  <div className="quire-diff font-serif text-[17px] leading-8 whitespace-pre-wrap text-ink" data-testid="version-diff">
                    {parts.map((part, i) =>
                      part.type === 'equal' ? (
                        <span key={i}>{part.text}</span>
                      ) : part.type === 'added' ? (
                        <ins key={i} className="rounded-sm bg-emerald-100 text-emerald-950 no-underline decoration-emerald-500" title="Written since this version">
                          {part.text}
                        </ins>
                      ) : (
                        <del key={i} className="rounded-sm bg-rose-100 text-rose-900 line-through decoration-rose-500" title="In this version, gone now">
                          {part.text}
                        </del>
                      ),
                    )}
                  </div>
                )
              ) : html !== null ? (
                <div className={`quire-prose ${props.screenplay ? 'is-screenplay' : ''}`} data-testid="version-text" dangerouslySetInnerHTML={{ __html: html }} />
              ) : (
                <div className="font-serif text-[17px] leading-8 whitespace-pre-wrap" data-testid="version-text">
                  {version.plainText}
                </div>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
