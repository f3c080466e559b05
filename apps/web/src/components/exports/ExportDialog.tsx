'use client';

import { useMemo, useState } from 'react';
import { EXPORT_FORMATS, EXPORT_FORMAT_INFO, TRIM_SIZES, type ExportFormat, type ExportScope } from '@quire/domain/exports';
import type { ExportsScreen } from '@/server/exports';
import { Alert, Button, Field, cx, inputClass } from '@/components/ui';
import { api } from '@/components/structure/api';
import { CoverField } from './CoverField';
import { Dialog } from './Dialog';

type Doc = ExportsScreen['documents'][number];

/** The documents in outline order (parents before children, siblings by position), with their depth. */
export function outlineOrder(documents: Doc[]): Array<Doc & { depth: number }> {
  const children = new Map<string | null, Doc[]>();
  for (const d of documents) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d]);
  const out: Array<Doc & { depth: number }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const d of children.get(parent) ?? []) {
      out.push({ ...d, depth });
      walk(d.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

const TRIM_LABELS: Record<(typeof TRIM_SIZES)[number], string> = { '5x8': '5 × 8 in', '5.5x8.5': '5.5 × 8.5 in', '6x9': '6 × 9 in', a5: 'A5', letter: 'US Letter' };

export function ExportDialog({ screen, initialDocumentIds, onClose, onQueued }: {
  screen: ExportsScreen;
  initialDocumentIds: string[];
  onClose: () => void;
  /** Called with the queued export's id, before the dialog closes. */
  onQueued: (exportId: string) => void;
}) {
  const ordered = useMemo(() => outlineOrder(screen.documents), [screen.documents]);
  const [scope, setScope] = useState<ExportScope>(initialDocumentIds.length === 1 ? 'document' : initialDocumentIds.length > 1 ? 'selection' : 'project');
  const [selected, setSelected] = useState<string[]>(initialDocumentIds);
  const [single, setSingle] = useState<string>(initialDocumentIds[0] ?? ordered.find((d) => d.kind !== 'folder')?.id ?? '');
  const screenplay = screen.projectKind === 'screenplay' || screen.documents.some((d) => d.kind === 'screenplay');
  const [format, setFormat] = useState<ExportFormat>(screenplay ? 'pdf' : 'docx');
  const [includeComments, setIncludeComments] = useState(false);
  const [pdfLayout, setPdfLayout] = useState<'book' | 'screenplay'>(screenplay ? 'screenplay' : 'book');
  const [trim, setTrim] = useState<(typeof TRIM_SIZES)[number]>('6x9');
  const [sceneNumbers, setSceneNumbers] = useState(false);
  const [author, setAuthor] = useState('');
  const [cover, setCover] = useState(screen.cover);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);

  const documentIds = scope === 'project' ? [] : scope === 'document' ? (single ? [single] : []) : ordered.filter((d) => selected.includes(d.id)).map((d) => d.id);
  const formats = EXPORT_FORMATS.filter((f) => screenplay || !EXPORT_FORMAT_INFO[f].screenplayOnly);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await api<{ id: string }>('POST', `/api/projects/${screen.projectId}/exports`, {
      scope,
      documentIds,
      format,
      options: {
        includeComments,
        ...(format === 'pdf' ? { pdfLayout, trim } : {}),
        sceneNumbers,
        ...(author.trim() ? { author: author.trim() } : {}),
      },
    });
    setBusy(false);
    if (!result.ok) {
      const fields = (result as { fields?: Record<string, string> }).fields;
      return setError({ message: result.error, fields });
    }
    onQueued(result.data.id);
    onClose();
  }

  // a viewer when the owner's switch is off (a person a document was shared with is answered by the server)
  const refused = screen.role === 'viewer' && !screen.mayExport;
  const toggle = (id: string) => setSelected((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]));

  return (
    <Dialog title="Export" onClose={onClose} testId="export-dialog">
      <form onSubmit={submit} className="space-y-5">
        {error ? <Alert>{error.message}</Alert> : null}
        {refused ? <Alert tone="info">The owner has turned exports off for viewers of this project.</Alert> : null}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-stone-800">What to export</legend>
          <div className="flex flex-wrap gap-2" role="radiogroup">
            {(['project', 'document', 'selection'] as const).map((s) => (
              <label key={s} className={cx('cursor-pointer rounded-md border px-3 py-1.5 text-sm', scope === s ? 'border-accent bg-accent/5 text-accent' : 'border-stone-300 text-stone-700')}>
                <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} className="sr-only" data-testid={`scope-${s}`} />
                {s === 'project' ? 'Whole project' : s === 'document' ? 'One document' : 'Some documents'}
              </label>
            ))}
          </div>
          {scope === 'project' ? <p className="text-xs text-stone-500">Every chapter and scene in outline order; notes pages stay out.</p> : null}
          {scope === 'document' ? (
            <select aria-label="Document" value={single} onChange={(e) => setSingle(e.target.value)} className={inputClass} data-testid="export-document">
              {ordered.map((d) => (
                <option key={d.id} value={d.id}>{`${'\u00a0\u00a0'.repeat(d.depth)}${d.title}`}</option>
              ))}
            </select>
          ) : null}
          {scope === 'selection' ? (
            <ul className="max-h-48 space-y-1 overflow-y-auto rounded-md border border-stone-200 p-2" data-testid="export-selection">
              {ordered.map((d) => (
                <li key={d.id} style={{ paddingLeft: `${d.depth * 1.25}rem` }}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" checked={selected.includes(d.id)} onChange={() => toggle(d.id)} />
                    {d.title}
                  </label>
                </li>
              ))}
            </ul>
          ) : null}
          {error?.fields?.documentIds ? <p className="text-sm text-red-700">{error.fields.documentIds}</p> : null}
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-stone-800">Format</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {formats.map((f) => (
              <label key={f} className={cx('cursor-pointer rounded-md border p-2.5 text-sm', format === f ? 'border-accent bg-accent/5' : 'border-stone-200 hover:border-stone-300')}>
                <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} className="sr-only" data-testid={`format-${f}`} />
                <span className="block font-medium text-ink">{EXPORT_FORMAT_INFO[f].label}</span>
                <span className="block text-xs text-stone-500">{EXPORT_FORMAT_INFO[f].hint}</span>
              </label>
            ))}
          </div>
          {error?.fields?.format ? <p className="text-sm text-red-700">{error.fields.format}</p> : null}
        </fieldset>

        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-medium text-stone-800">Options</legend>
          {format === 'epub' ? <div className="sm:col-span-2"><CoverField screen={screen} cover={cover} onChange={setCover} /></div> : null}
          {format === 'pdf' ? (
            <>
              <Field label="Layout" htmlFor="export-layout">
                <select id="export-layout" value={pdfLayout} onChange={(e) => setPdfLayout(e.target.value as 'book' | 'screenplay')} className={inputClass}>
                  <option value="book">Book</option>
                  <option value="screenplay">Screenplay</option>
                </select>
              </Field>
              {pdfLayout === 'book' ? (
                <Field label="Trim size" htmlFor="export-trim">
                  <select id="export-trim" value={trim} onChange={(e) => setTrim(e.target.value as typeof trim)} className={inputClass}>
                    {TRIM_SIZES.map((t) => <option key={t} value={t}>{TRIM_LABELS[t]}</option>)}
                  </select>
                </Field>
              ) : null}
            </>
          ) : null}
          <Field label="Author on the title page" htmlFor="export-author" hint="Left empty, the owner’s name is used." error={error?.fields?.['options.author']}>
            <input id="export-author" value={author} onChange={(e) => setAuthor(e.target.value)} maxLength={120} className={inputClass} />
          </Field>
          <div className="space-y-2 self-end text-sm">
            {format === 'docx' || format === 'pdf' ? (
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={includeComments} onChange={(e) => setIncludeComments(e.target.checked)} data-testid="include-comments" />
                Include comments
              </label>
            ) : null}
            {screenplay && (format === 'pdf' || format === 'fdx') ? (
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={sceneNumbers} onChange={(e) => setSceneNumbers(e.target.checked)} />
                Number the scenes
              </label>
            ) : null}
          </div>
        </fieldset>

        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-stone-100 pt-4">
          <p className="text-xs text-stone-500" data-testid="export-allowance">
            {screen.usage.limit === null ? 'Unlimited exports on your plan.' : `${screen.usage.used} of ${screen.usage.limit} exports used this month.`}
          </p>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={onClose}>Cancel</Button>
            <Button type="submit" disabled={busy || refused || (scope !== 'project' && documentIds.length === 0)} data-testid="export-submit">
              {busy ? 'Queuing…' : 'Export'}
            </Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}
