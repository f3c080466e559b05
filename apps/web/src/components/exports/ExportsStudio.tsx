'use client';

import { useCallback, useState } from 'react';
import type { ExportsScreen } from '@/server/exports';
import { Alert, Button, Card, EmptyState } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { ExportRow, ImportRow } from './JobRows';

const LIVE_TABLES = ['export_jobs', 'import_jobs', 'export_settings', 'project_covers', 'documents'] as const;

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

      {dialog === 'export' ? <ExportDialog screen={screen} initialDocumentIds={openFor} onClose={() => setDialog(null)} onQueued={() => void refetch()} /> : null}
      {dialog === 'import' ? <ImportDialog screen={screen} onClose={() => setDialog(null)} onQueued={refetch} /> : null}
    </div>
  );
}
