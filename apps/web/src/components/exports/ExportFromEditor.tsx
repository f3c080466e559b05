'use client';

import { useCallback, useEffect, useState } from 'react';
import Link from 'next/link';
import type { ExportJobView, ExportsScreen } from '@/server/exports';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { Overlay } from './Dialog';
import { ExportDialog } from './ExportDialog';
import { ExportRow } from './JobRows';

const LIVE_TABLES = ['export_jobs'] as const;
const POLL_MS = 3000;
const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Ctrl+Shift+E (⌘⇧E on a Mac) opens the Export dialog from anywhere on the document's page. */
const isExportShortcut = (event: KeyboardEvent) =>
  (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && (event.key.toLowerCase() === 'e' || event.code === 'KeyE');

/**
 * The editor's Export action: the same Export dialog as the Exports tab, opened with this document chosen (the writer
 * may switch to some documents or the whole project there), then the queued export followed live in a small card until
 * its Download link appears. The history of every export stays on the Exports tab.
 */
export function ExportFromEditor({ projectId, documentId }: { projectId: string; documentId: string }) {
  const [screen, setScreen] = useState<ExportsScreen | null>(null);
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tracked, setTracked] = useState<string | null>(null);

  const open = useCallback(async () => {
    setOpening(true);
    const result = await api<ExportsScreen>('GET', `/api/projects/${projectId}/exports`);
    setOpening(false);
    if (result.ok) {
      setError(null);
      setScreen(result.data);
    } else setError(result.error);
  }, [projectId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isExportShortcut(event)) return;
      event.preventDefault();
      if (!screen && !opening) void open();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, screen, opening]);

  const shortcut = isMac() ? '⌘⇧E' : 'Ctrl+Shift+E';
  return (
    <>
      <button
        type="button"
        onClick={() => void open()}
        disabled={opening}
        className="inline-flex items-center gap-1.5 rounded-md border border-stone-200 px-2 py-1.5 text-sm font-medium text-stone-700 hover:bg-stone-100 disabled:opacity-60"
        title={`Export this document, a selection or the whole project (${shortcut})`}
        aria-label="Export"
        aria-keyshortcuts={isMac() ? 'Meta+Shift+E' : 'Control+Shift+E'}
        data-testid="editor-export"
      >
        <svg viewBox="0 0 20 20" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
          <path d="M10 3v9M6.5 8.5 10 12l3.5-3.5M4 13.5V16h12v-2.5" />
        </svg>
        <span className="hidden sm:inline">{opening ? 'Opening…' : 'Export'}</span>
      </button>
      {error ? (
        <FloatingCard onClose={() => setError(null)} label="Export">
          <p className="text-sm text-red-800" role="alert" data-testid="editor-export-error">{error}</p>
        </FloatingCard>
      ) : null}
      {screen ? (
        <ExportDialog
          screen={screen}
          initialDocumentIds={[documentId]}
          onClose={() => setScreen(null)}
          onQueued={(id) => setTracked(id)}
        />
      ) : null}
      {tracked ? <TrackedExport projectId={projectId} exportId={tracked} onClose={() => setTracked(null)} /> : null}
    </>
  );
}

/** The export just queued, followed through the project's live feed until it is ready or has failed. */
function TrackedExport({ projectId, exportId, onClose }: { projectId: string; exportId: string; onClose: () => void }) {
  const [job, setJob] = useState<ExportJobView | null>(null);
  const refetch = useCallback(async () => {
    const result = await api<ExportJobView>('GET', `/api/projects/${projectId}/exports/${exportId}`);
    if (result.ok) setJob(result.data);
  }, [projectId, exportId]);
  // the feed calls refetch once it is connected, then on every change of an export of the project; without the feed
  // (a dropped connection, someone a single document was shared with) the card asks every few seconds until it is done
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);
  const done = job !== null && job.status !== 'queued' && job.status !== 'running';
  useEffect(() => {
    if (connected || done) return;
    const timer = window.setInterval(() => void refetch(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [connected, done, refetch]);
  const cancel = async () => {
    await api('POST', `/api/projects/${projectId}/exports/${exportId}/cancel`);
    await refetch();
  };
  return (
    <FloatingCard onClose={onClose} label="Your export" testId="editor-export-status">
      {job ? (
        <ul className="-mx-4 -my-3">
          <ExportRow job={job} projectId={projectId} onCancel={() => void cancel()} />
        </ul>
      ) : (
        <p className="text-sm text-stone-600">Queuing the export…</p>
      )}
      <p className="mt-2 text-xs text-stone-500">
        Every export of this project is kept on the <Link href={`/projects/${projectId}/exports`} className="text-accent hover:underline">Exports tab</Link>.
      </p>
    </FloatingCard>
  );
}

function FloatingCard({ label, onClose, testId, children }: { label: string; onClose: () => void; testId?: string; children: React.ReactNode }) {
  return (
    <Overlay>
      <section
        aria-label={label}
        data-testid={testId}
        className="fixed inset-x-3 bottom-3 z-40 rounded-xl border border-stone-200 bg-white px-4 py-3 shadow-lg sm:inset-x-auto sm:right-6 sm:bottom-6 sm:w-[26rem]"
      >
        <div className="mb-1 flex items-center justify-between">
          <h3 className="text-sm font-semibold text-stone-800">{label}</h3>
          <button type="button" onClick={onClose} aria-label={`Close ${label.toLowerCase()}`} className="rounded p-1 text-stone-500 hover:bg-stone-100">✕</button>
        </div>
        <div className="pt-1">{children}</div>
      </section>
    </Overlay>
  );
}
