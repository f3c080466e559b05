'use client';

/** One export or import as the history lists it (the Exports tab, and the editor after an export from a document). */
import Link from 'next/link';
import { EXPORT_FORMAT_INFO, type JobStatus } from '@quire/domain/exports';
import type { ExportJobView, ImportJobView } from '@/server/exports';
import { Button, cx } from '@/components/ui';
import { formatRelative } from '@/components/ui/format';
import { formatBytes } from './format';

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

export function ExportRow({ job, projectId, onCancel }: { job: ExportJobView; projectId: string; onCancel: () => void }) {
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

export function ImportRow({ job, projectId, onCancel }: { job: ImportJobView; projectId: string; onCancel: () => void }) {
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
