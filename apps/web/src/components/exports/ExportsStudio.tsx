'use client';

import { useCallback, useState } from 'react';
import Link from 'next/link';
import { EXPORT_FORMAT_INFO, type JobStatus } from '@quire/domain/exports';
import type { ExportJobView, ExportsScreen, ImportJobView } from '@/server/exports';
import { Alert, Button, Card, EmptyState, cx } from '@/components/ui';
import { formatRelative } from '@/components/ui/format';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { formatBytes } from './format';

const LIVE_TABLES = ['export_jobs', 'import_jobs', 'export_settings', 'documents'] as const;

const STATUS: Record<JobStatus, { label: string; style: string }> = {
  queued: { label: 'Waiting', style: 'bg-stone-100 text-stone-700' },
  running: { label: 'Working', style: 'bg-sky-100 text-sky-900' },
  succeeded: { label: 'Ready', style: 'bg-emerald-100 text-emerald-900' },
  failed: { label: 'Failed', style: 'bg-red-100 text-red-900' },
  canceled: { label: 'Canceled', style: 'bg-stone-100 text-stone-500' },
};

function Progress({ value, label }: { value: number; label: string }) {
  return (
    <div role="progressbar" aria-label={label} aria-valuenow={value} aria-valuemin={0} aria-valuemax={100} className="mt-2 h-1.5 overflow-hidden rounded bg-stone-100">
      <div className="h-full bg-accent transition-all" style={{ width: `${value}%` }} />
    </div>
  );
}

function Badge({ status, expired }: { status: JobStatus; expired?: boolean }) {
  const s = expired ? { label: 'Expired', style: 'bg-stone-100 text-stone-500' } : STATUS[status];
  return <span className={cx('rounded px-1.5 py-0.5 text-xs font-medium', s.style)} data-testid="job-status">{s.label}</span>;
}

export function ExportsStudio({ initial, openFor }: { initial: ExportsScreen; openFor: string[] }) {
  const [screen, setScreen] = useState(initial);
  const [dialog, setDialog] = useState<'export' | 'import' | null>(openFor.length ? 'export' : null);
  const [error, setError] = useState<string | null>(null);
  const projectId = screen.projectId;
  const refetch = useCallback(async () => {
    const result = await api<ExportsScreen>('GET', `/api/projects/${projectId}/exports`);
    if (result.ok) setScreen(result.data);
  }, [projectId]);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);

  async function act(url: string, method: 'POST' | 'PATCH' = 'POST', body?: unknown) {
    const result = await api(method, url, body);
    setError(result.ok ? null : result.error);
    await refetch();
  }

  return (
    <div className="space-y-4" data-testid="exports-studio">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">Exports</h2>
        <LiveBadge connected={connected} />
        <span className="flex-1" />
        <span className="text-sm text-stone-600" data-testid="export-usage">
          {screen.usage.limit === null ? 'Unlimited exports' : `${screen.usage.used} of ${screen.usage.limit} exports this month`}
        </span>
        {screen.mayImport ? <Button variant="secondary" size="sm" onClick={() => setDialog('import')} data-testid="open-import">Import…</Button> : null}
        <Button size="sm" onClick={() => setDialog('export')} disabled={!screen.mayExport} data-testid="open-export">Export…</Button>
      </div>
      {!screen.mayExport ? <Alert tone="info">The owner has turned exports off for viewers of this project.</Alert> : null}
      {error ? <Alert>{error}</Alert> : null}
      {screen.isOwner ? (
        <label className="flex items-center gap-2 text-sm text-stone-700">
          <input type="checkbox" checked={screen.viewersMayExport} data-testid="viewers-may-export"
            onChange={(e) => act(`/api/projects/${projectId}/exports/settings`, 'PATCH', { viewersMayExport: e.target.checked })} />
          Viewers may export what they can read
        </label>
      ) : null}

      <Card className="divide-y divide-stone-100" aria-label="Export history">
        {screen.exports.length === 0 ? (
          <div className="p-4"><EmptyState title="No exports yet">Export a chapter, a selection or the whole manuscript as Word, PDF, EPUB, Markdown or a screenplay format.</EmptyState></div>
        ) : (
          <ul data-testid="export-history">
            {screen.exports.map((job) => <ExportRow key={job.id} job={job} projectId={projectId} onCancel={() => act(`/api/projects/${projectId}/exports/${job.id}/cancel`)} />)}
          </ul>
        )}
      </Card>

      {screen.imports.length > 0 ? (
        <Card aria-label="Imports">
          <h3 className="border-b border-stone-100 px-4 py-2 text-sm font-semibold text-stone-700">Imports</h3>
          <ul data-testid="import-history" className="divide-y divide-stone-100">
            {screen.imports.map((job) => <ImportRow key={job.id} job={job} projectId={projectId} onCancel={() => act(`/api/projects/${projectId}/imports/${job.id}/cancel`)} />)}
          </ul>
        </Card>
      ) : null}

      {dialog === 'export' ? <ExportDialog screen={screen} initialDocumentIds={openFor} onClose={() => setDialog(null)} onQueued={refetch} /> : null}
      {dialog === 'import' ? <ImportDialog screen={screen} onClose={() => setDialog(null)} onQueued={refetch} /> : null}
    </div>
  );
}

function ExportRow({ job, projectId, onCancel }: { job: ExportJobView; projectId: string; onCancel: () => void }) {
  return (
    <li className="px-4 py-3" data-testid="export-row" data-status={job.status} data-export-id={job.id}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Badge status={job.status} expired={job.expired} />
        <span className="font-medium text-ink">{job.what}</span>
        <span className="text-sm text-stone-500">{EXPORT_FORMAT_INFO[job.format]?.label ?? job.format}</span>
        <span className="flex-1" />
        <span className="text-xs text-stone-500">
          {job.requestedBy ? `${job.requestedBy}, ` : ''}
          {formatRelative(job.createdAt)}
          {job.sizeBytes !== null ? ` · ${formatBytes(job.sizeBytes)}` : ''}
        </span>
        {job.downloadable ? (
          <a href={`/api/projects/${projectId}/exports/${job.id}/download`} className="text-sm font-medium text-accent hover:underline" data-testid="export-download" download={job.filename ?? undefined}>
            Download
          </a>
        ) : null}
        {job.canCancel ? <Button size="sm" variant="ghost" onClick={onCancel} data-testid="export-cancel">Cancel</Button> : null}
      </div>
      {job.status === 'running' || job.status === 'queued' ? <Progress value={job.progress} label={`Export of ${job.what}`} /> : null}
      {job.status === 'failed' && job.error ? <p className="mt-1 text-sm text-red-800" data-testid="export-error">{job.error}</p> : null}
      {job.downloadable && job.expiresAt ? <p className="mt-1 text-xs text-stone-500">Kept until {new Date(job.expiresAt).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })}</p> : null}
    </li>
  );
}

function ImportRow({ job, projectId, onCancel }: { job: ImportJobView; projectId: string; onCancel: () => void }) {
  return (
    <li className="px-4 py-3" data-testid="import-row" data-status={job.status}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Badge status={job.status} />
        <span className="font-medium text-ink">{job.filename}</span>
        <span className="text-sm text-stone-500">{formatBytes(job.sizeBytes)}</span>
        <span className="flex-1" />
        <span className="text-xs text-stone-500">{job.requestedBy ? `${job.requestedBy}, ` : ''}{formatRelative(job.createdAt)}</span>
        {job.canCancel ? <Button size="sm" variant="ghost" onClick={onCancel}>Cancel</Button> : null}
      </div>
      {job.status === 'running' || job.status === 'queued' ? <Progress value={job.progress} label={`Import of ${job.filename}`} /> : null}
      {job.status === 'failed' && job.error ? <p className="mt-1 text-sm text-red-800" data-testid="import-error">{job.error}</p> : null}
      {job.status === 'succeeded' ? (
        <p className="mt-1 text-sm text-stone-600">
          {job.documentIds.length === 1 ? 'One document' : `${job.documentIds.length} documents`} added.{' '}
          {job.documentIds[0] ? <Link href={`/projects/${projectId}/documents/${job.documentIds[0]}`} className="text-accent hover:underline">Open the first</Link> : null}
        </p>
      ) : null}
      {job.warnings.length > 0 ? (
        <ul className="mt-1 list-disc pl-5 text-xs text-amber-800" data-testid="import-warnings">
          {job.warnings.slice(0, 5).map((w, i) => <li key={i}>{w}</li>)}
          {job.warnings.length > 5 ? <li>…and {job.warnings.length - 5} more</li> : null}
        </ul>
      ) : null}
    </li>
  );
}
