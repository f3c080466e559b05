'use client';

import { useMemo, useState, type KeyboardEvent } from 'react';
import Link from 'next/link';
import { ISSUE_CATEGORIES, ISSUE_SEVERITIES, ISSUE_STATUSES, type IssueStatus } from '@quire/domain/structure';
import type { IssueDto, PlotBoard } from '@/server/structure/plot';
import { Alert, Button, EmptyState, cx } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from './api';
import { LiveBadge } from './LiveBadge';
import { NewIssueForm } from './NewIssueForm';
import { useBoardState } from './useBoardState';

const LIVE_TABLES = ['plot_issues', 'plot_analyses'] as const;
const STATUS_LABELS: Record<IssueStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', dismissed: 'Dismissed' };
const SEVERITY_STYLE = { critical: 'bg-red-700 text-white', high: 'bg-red-100 text-red-900', medium: 'bg-amber-100 text-amber-900', low: 'bg-stone-100 text-stone-700' };
const label = (value: string) => value.replace('_', ' ').replace(/^./, (c) => c.toUpperCase());

export function PlotStudio({ projectId, initial }: { projectId: string; initial: PlotBoard }) {
  const { board, refetch } = useBoardState(initial, () => api<PlotBoard>('GET', `/api/projects/${projectId}/plot`));
  const [error, setError] = useState<string | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [filter, setFilter] = useState({ severity: '', category: '', status: '' });
  const [adding, setAdding] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);
  // a run someone started (here or on another screen) shows until its row says it is done
  const runStatus = board.latestChecks?.status;
  const running = requesting || runStatus === 'queued' || runStatus === 'running';

  const shown = useMemo(
    () => board.issues.filter((i) => (!filter.severity || i.severity === filter.severity) && (!filter.category || i.category === filter.category) && (!filter.status || i.status === filter.status)),
    [board, filter],
  );

  async function runChecks() {
    setRequesting(true);
    const result = await api<{ analysisId: string }>('POST', `/api/projects/${projectId}/plot/checks`);
    setRequesting(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    await refetch();
  }

  async function triage(issue: IssueDto, status: IssueStatus) {
    const result = await api('PATCH', `/api/projects/${projectId}/plot/issues/${issue.id}`, { version: issue.version, patch: { status } });
    if (!result.ok) setError(result.status === 409 ? 'Someone else triaged that card just now; the board shows their choice.' : result.error);
    else {
      setError(null);
      setAnnouncement(`Moved “${issue.title}” to ${STATUS_LABELS[status]}.`);
    }
    await refetch();
  }

  /** n opens the form for a card written by hand, from anywhere on the board but a field */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const target = event.target as HTMLElement;
    if (event.key !== 'n' || event.altKey || event.ctrlKey || event.metaKey || !board.canEdit) return;
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable) return;
    event.preventDefault();
    setAdding(true);
  }

  const select = (name: keyof typeof filter, values: readonly string[], all: string) => (
    <select aria-label={`Filter by ${name}`} data-testid={`filter-${name}`} value={filter[name]} onChange={(e) => setFilter({ ...filter, [name]: e.target.value })}
      className="rounded-md border border-stone-300 px-2 py-1 text-sm">
      <option value="">{all}</option>
      {values.map((v) => <option key={v} value={v}>{label(v)}</option>)}
    </select>
  );

  return (
    <div className="space-y-4" data-testid="plot-studio" onKeyDown={onKeyDown}>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">Plot issues</h2>
        <LiveBadge connected={connected} />
        <span className="flex-1" />
        {select('severity', ISSUE_SEVERITIES, 'Any severity')}
        {select('category', ISSUE_CATEGORIES, 'Any category')}
        {select('status', ISSUE_STATUSES, 'Any status')}
        {board.canEdit && !adding ? <Button size="sm" variant="secondary" onClick={() => setAdding(true)} data-testid="new-issue">+ New issue</Button> : null}
        {board.canEdit ? <Button size="sm" onClick={runChecks} disabled={running} data-testid="run-checks">{running ? 'Checking…' : 'Run structure checks'}</Button> : null}
      </div>
      {running ? (
        <div role="status" className="flex items-center gap-3 rounded-md bg-stone-100 px-3 py-2 text-sm text-stone-700" data-testid="checks-progress" data-status={runStatus ?? 'queued'}>
          <progress className="h-2 w-32" aria-label="Structure checks under way" />
          {runStatus === 'running' ? 'Checking the structure…' : 'The structure checks are queued…'}
        </div>
      ) : board.latestChecks ? (
        <p className="text-sm text-stone-600" data-testid="checks-summary" data-status={runStatus}>
          Last check: {board.latestChecks.summary}
        </p>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      {adding ? (
        <NewIssueForm
          projectId={projectId}
          onDone={(created, failure) => {
            if (failure) return setError(failure);
            setError(null);
            setAdding(false);
            if (created) {
              setAnnouncement(`Added the issue “${created.title}”.`);
              void refetch();
            }
          }}
        />
      ) : null}
      {board.issues.length === 0 ? (
        <EmptyState title="No plot issues">
          {board.canEdit
            ? 'Run the structure checks to find beats without text, empty or oversized sections, uneven chapters and beats far from their ideal place, or write an issue yourself with “+ New issue” (or n).'
            : 'No one has raised a plot issue in this project yet.'}
        </EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-4" data-testid="issue-columns">
          {ISSUE_STATUSES.map((status) => (
            <section key={status} aria-label={STATUS_LABELS[status]} className="space-y-2 rounded-xl bg-stone-100/70 p-2" data-testid="issue-column" data-status={status}>
              <h3 className="px-1 text-sm font-semibold text-stone-700">
                {STATUS_LABELS[status]} <span className="font-normal text-stone-500">{shown.filter((i) => i.status === status).length}</span>
              </h3>
              {shown.filter((i) => i.status === status).map((issue) => (
                <article key={issue.id} className="rounded-lg border border-stone-200 bg-white p-3 shadow-sm" data-testid="issue-card" data-rule={issue.rule ?? ''} data-issue-id={issue.id}>
                  <div className="flex flex-wrap gap-1.5 text-[11px] uppercase tracking-wide">
                    <span className={cx('rounded px-1.5 py-0.5', SEVERITY_STYLE[issue.severity])}>{issue.severity}</span>
                    <span className="rounded bg-stone-100 px-1.5 py-0.5 text-stone-600">{label(issue.category)}</span>
                  </div>
                  <p className="mt-1.5 font-medium text-ink">{issue.title}</p>
                  {issue.description ? <p className="mt-1 text-sm text-stone-600">{issue.description}</p> : null}
                  {issue.sectionTitle || issue.beatName ? (
                    <p className="mt-1 text-xs text-stone-500" data-testid="issue-links">
                      {[issue.sectionTitle ? `Section: ${issue.sectionTitle}` : '', issue.beatName ? `Beat: ${issue.beatName}` : ''].filter(Boolean).join(' · ')}
                    </p>
                  ) : null}
                  {issue.documentId ? (
                    <Link
                      href={`/projects/${projectId}/documents/${issue.documentId}${issue.hasAnchor ? `?issue=${issue.id}` : ''}`}
                      className="mt-1 inline-block text-xs text-accent hover:underline"
                      data-testid="issue-open"
                    >
                      {issue.hasAnchor ? `Open “${issue.documentTitle}” at the passage` : `Open “${issue.documentTitle}”`}
                    </Link>
                  ) : null}
                  <select aria-label="Triage" data-testid="issue-status" disabled={!board.canEdit} value={issue.status}
                    onChange={(e) => triage(issue, e.target.value as IssueStatus)} className="mt-2 block rounded border border-stone-200 bg-white px-1.5 py-0.5 text-xs disabled:bg-stone-50">
                    {ISSUE_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
                  </select>
                </article>
              ))}
            </section>
          ))}
        </div>
      )}
      {board.canEdit ? <p className="text-xs text-stone-500">Keys: n to write an issue by hand; each card’s Triage list moves it between columns.</p> : null}
      <div aria-live="polite" className="sr-only" data-testid="announcer">{announcement}</div>
    </div>
  );
}