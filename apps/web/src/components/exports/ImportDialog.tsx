'use client';

import { useState } from 'react';
import { IMPORT_MAX_BYTES, importFormatOf } from '@quire/domain/exports';
import type { ExportsScreen } from '@/server/exports';
import { Alert, Button, Field, inputClass } from '@/components/ui';
import { Dialog } from './Dialog';
import { formatBytes } from './format';

/**
 * Uploads a file to import. The upload shows its own progress (XMLHttpRequest reports it, fetch does not); reading
 * the file is then a job whose progress shows in the imports list.
 */
export function ImportDialog({ screen, onClose, onQueued }: { screen: ExportsScreen; onClose: () => void; onQueued: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [parentId, setParentId] = useState('');
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const parts = screen.documents.filter((d) => d.kind === 'folder');

  function choose(chosen: File | null) {
    setError(null);
    setFile(chosen);
    if (!chosen) return;
    if (!importFormatOf(chosen.name)) setError('Quire imports .docx, .md, .fountain, .fdx and .txt files.');
    else if (chosen.size > IMPORT_MAX_BYTES) setError(`That file is ${formatBytes(chosen.size)}; files up to ${formatBytes(IMPORT_MAX_BYTES)} can be imported.`);
    else if (chosen.size === 0) setError('That file is empty.');
  }

  function upload(event: React.FormEvent) {
    event.preventDefault();
    if (!file || error) return;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/projects/${screen.projectId}/imports${parentId ? `?parentId=${parentId}` : ''}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-filename', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => e.lengthComputable && setSent(e.loaded / e.total);
    xhr.onload = () => {
      setSent(null);
      if (xhr.status >= 200 && xhr.status < 300) {
        onQueued();
        onClose();
        return;
      }
      try {
        setError(String((JSON.parse(xhr.responseText) as { error?: string }).error ?? 'The upload was refused.'));
      } catch {
        setError('The upload was refused.');
      }
    };
    xhr.onerror = () => {
      setSent(null);
      setError('Quire cannot be reached. Check your connection and try again.');
    };
    setSent(0);
    xhr.send(file);
  }

  return (
    <Dialog title="Import" onClose={onClose} testId="import-dialog">
      <form onSubmit={upload} className="space-y-4">
        <p className="text-sm text-stone-600">
          Word (.docx), Markdown, Fountain, Final Draft (.fdx) or plain text, up to {formatBytes(IMPORT_MAX_BYTES)}. Each chapter heading starts a new
          document; screenplays keep their scene headings, action, characters and dialogue.
        </p>
        {error ? <Alert>{error}</Alert> : null}
        <Field label="File" htmlFor="import-file">
          <input id="import-file" type="file" accept=".docx,.md,.markdown,.fountain,.spmd,.fdx,.txt" data-testid="import-file"
            onChange={(e) => choose(e.target.files?.[0] ?? null)} className="block w-full text-sm" />
        </Field>
        {parts.length > 0 ? (
          <Field label="Put it in" htmlFor="import-parent">
            <select id="import-parent" value={parentId} onChange={(e) => setParentId(e.target.value)} className={inputClass}>
              <option value="">The top of the manuscript</option>
              {parts.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
            </select>
          </Field>
        ) : null}
        {sent !== null ? (
          <div role="progressbar" aria-label="Upload" aria-valuenow={Math.round(sent * 100)} aria-valuemin={0} aria-valuemax={100} className="h-2 overflow-hidden rounded bg-stone-100">
            <div className="h-full bg-accent transition-all" style={{ width: `${Math.round(sent * 100)}%` }} />
          </div>
        ) : null}
        <div className="flex justify-end gap-2 border-t border-stone-100 pt-4">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" disabled={!file || Boolean(error) || sent !== null} data-testid="import-submit">
            {sent !== null ? 'Uploading…' : 'Import'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
