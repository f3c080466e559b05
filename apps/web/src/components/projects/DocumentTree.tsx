'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useMemo, useRef, useState, useTransition, type DragEvent, type KeyboardEvent } from 'react';
import { DOCUMENT_KIND_LABELS, type DocumentKind } from '@quire/domain/schemas/documents';
import {
  createDocumentAction,
  deleteDocumentAction,
  moveDocumentAction,
  renameDocumentAction,
  reorderDocumentsAction,
} from '@/app/actions/documents';
import type { DocumentNode } from '@/server/documents';
import { Alert, Button, EmptyState, cx, inputClass } from '@/components/ui';
import { formatWords } from '@/components/ui/format';
import { LimitedInput } from '@/components/ui/CharacterLimit';
import { TITLE_LIMIT } from './limits';

type ProjectKind = 'novel' | 'screenplay' | 'blog_post';

/** What a project of each kind usually adds at the top level. */
const TOP_KINDS: Record<ProjectKind, DocumentKind[]> = {
  novel: ['chapter', 'folder', 'notes'],
  screenplay: ['screenplay', 'folder', 'notes'],
  blog_post: ['post', 'notes'],
};

/** What goes inside each kind: parts hold chapters, chapters and screenplays hold scenes. */
const CHILD_KIND: Partial<Record<DocumentKind, DocumentKind>> = { folder: 'chapter', chapter: 'scene', screenplay: 'scene' };

interface TreeNode extends DocumentNode {
  children: TreeNode[];
}

function buildTree(docs: DocumentNode[]): TreeNode[] {
  const byId = new Map<string, TreeNode>(docs.map((d) => [d.id, { ...d, children: [] }]));
  const roots: TreeNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    // a document shared on its own arrives without its parent; it stands at the top then
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: TreeNode[]) => {
    list.sort((a, b) => a.position - b.position);
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

function countDescendants(node: TreeNode): number {
  return node.children.reduce((n, c) => n + 1 + countDescendants(c), 0);
}

export function DocumentTree({ projectId, projectKind, documents, canEdit }: {
  projectId: string;
  projectKind: ProjectKind;
  documents: DocumentNode[];
  canEdit: boolean;
}) {
  const router = useRouter();
  const [docs, setDocs] = useState(documents);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [pending, startTransition] = useTransition();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [addingUnder, setAddingUnder] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<{ id: string; after: boolean } | null>(null);
  const focusAfter = useRef<string | null>(null);
  const rowLinks = useRef(new Map<string, HTMLElement>());

  useEffect(() => setDocs(documents), [documents]);
  useEffect(() => {
    if (focusAfter.current) {
      rowLinks.current.get(focusAfter.current)?.focus();
      focusAfter.current = null;
    }
  });

  const tree = useMemo(() => buildTree(docs), [docs]);
  const topKinds = TOP_KINDS[projectKind];

  /**
   * Runs one change; a refusal shows the server's message above the outline, or (`inForm`) only to the caller, which
   * shows it beside the field that caused it. Resolves with the answer.
   */
  function run(label: string, op: () => Promise<{ ok: boolean; error?: string }>, rollback?: DocumentNode[], inForm = false): Promise<{ ok: boolean; error?: string }> {
    setError(null);
    return new Promise((resolve) => {
      startTransition(async () => {
        const result = await op();
        if (!result.ok) {
          if (rollback) setDocs(rollback);
          if (!inForm) setError(result.error ?? 'That did not work.');
        } else {
          setStatus(label);
        }
        router.refresh();
        resolve(result);
      });
    });
  }

  function siblingsOf(id: string): DocumentNode[] {
    const doc = docs.find((d) => d.id === id);
    return docs.filter((d) => d.parentId === (doc?.parentId ?? null)).sort((a, b) => a.position - b.position);
  }

  /** Applies a new sibling order locally at once, then asks the server to keep it. */
  function reorder(parentId: string | null, orderedIds: string[], label: string) {
    const before = docs;
    const position = new Map(orderedIds.map((id, i) => [id, i]));
    setDocs(docs.map((d) => (position.has(d.id) ? { ...d, position: position.get(d.id)! } : d)));
    run(label, () => reorderDocumentsAction({ projectId, parentId, orderedIds }), before);
  }

  function move(node: TreeNode, direction: 'up' | 'down') {
    const siblings = siblingsOf(node.id);
    const at = siblings.findIndex((s) => s.id === node.id);
    const to = direction === 'up' ? at - 1 : at + 1;
    if (to < 0 || to >= siblings.length) return;
    const order = siblings.map((s) => s.id);
    [order[at], order[to]] = [order[to]!, order[at]!];
    focusAfter.current = node.id;
    const before = docs;
    const position = new Map(order.map((id, i) => [id, i]));
    setDocs(docs.map((d) => (position.has(d.id) ? { ...d, position: position.get(d.id)! } : d)));
    run(`Moved “${node.title}” ${direction}.`, () => moveDocumentAction({ projectId, documentId: node.id, direction }), before);
  }

  function onRowKeyDown(event: KeyboardEvent, node: TreeNode) {
    if (!canEdit || renaming) return;
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      move(node, event.key === 'ArrowUp' ? 'up' : 'down');
    } else if (event.key === 'F2') {
      event.preventDefault();
      setRenaming(node.id);
    } else if (event.key === 'Delete') {
      event.preventDefault();
      setConfirmDelete(node.id);
    }
  }

  function onDragStart(event: DragEvent, node: TreeNode) {
    setDragging(node.id);
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', node.id);
  }

  function onDragOver(event: DragEvent, node: TreeNode) {
    const source = docs.find((d) => d.id === dragging);
    if (!source || source.id === node.id || source.parentId !== node.parentId) return;
    event.preventDefault();
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    setDropTarget({ id: node.id, after: event.clientY > rect.top + rect.height / 2 });
  }

  function onDrop(event: DragEvent, node: TreeNode) {
    event.preventDefault();
    const source = docs.find((d) => d.id === dragging);
    const target = dropTarget;
    setDragging(null);
    setDropTarget(null);
    if (!source || !target || source.parentId !== node.parentId) return;
    const order = siblingsOf(node.id).map((s) => s.id).filter((id) => id !== source.id);
    const index = order.indexOf(target.id) + (target.after ? 1 : 0);
    order.splice(index, 0, source.id);
    reorder(node.parentId, order, `Moved “${source.title}”.`);
  }

  function renderNode(node: TreeNode, depth: number, index: number, count: number) {
    const isDropBefore = dropTarget?.id === node.id && !dropTarget.after;
    const isDropAfter = dropTarget?.id === node.id && dropTarget.after;
    const childKind = depth < 3 ? CHILD_KIND[node.kind] : undefined;
    const descendants = countDescendants(node);
    return (
      <li key={node.id} data-doc-id={node.id} data-doc-title={node.title}>
        <div
          draggable={canEdit && renaming !== node.id}
          onDragStart={(e) => onDragStart(e, node)}
          onDragOver={(e) => onDragOver(e, node)}
          onDragLeave={() => setDropTarget((t) => (t?.id === node.id ? null : t))}
          onDrop={(e) => onDrop(e, node)}
          onDragEnd={() => {
            setDragging(null);
            setDropTarget(null);
          }}
          onKeyDown={(e) => onRowKeyDown(e, node)}
          className={cx(
            'group flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-stone-100 px-3 py-2.5 sm:flex-nowrap',
            dragging === node.id && 'opacity-40',
            isDropBefore && 'border-t-2 border-t-accent',
            isDropAfter && 'border-b-2 border-b-accent',
          )}
          style={{ paddingLeft: `${0.75 + depth * 1.5}rem` }}
        >
          {canEdit ? (
            <span aria-hidden className="hidden cursor-grab select-none text-stone-400 sm:inline" title="Drag to reorder">
              ⋮⋮
            </span>
          ) : null}
          <span className="w-20 shrink-0 text-xs uppercase tracking-wide text-stone-500">{DOCUMENT_KIND_LABELS[node.kind]}</span>
          {renaming === node.id ? (
            <form
              className="flex min-w-0 flex-1 items-center gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                const title = String(new FormData(e.currentTarget).get('title') ?? '');
                const before = docs;
                setDocs(docs.map((d) => (d.id === node.id ? { ...d, title } : d)));
                setRenaming(null);
                focusAfter.current = node.id;
                run(`Renamed to “${title}”.`, () => renameDocumentAction({ projectId, documentId: node.id, title }), before);
              }}
            >
              <label htmlFor={`rename-${node.id}`} className="sr-only">
                New title for {node.title}
              </label>
              <LimitedInput
                wrapperClassName="min-w-0 flex-1"
                limit={TITLE_LIMIT}
                id={`rename-${node.id}`}
                name="title"
                defaultValue={node.title}
                required
                autoFocus
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    setRenaming(null);
                    focusAfter.current = node.id;
                  }
                }}
                className={cx(inputClass, 'py-1')}
              />
              <Button type="submit" size="sm">
                Save
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setRenaming(null)}>
                Cancel
              </Button>
            </form>
          ) : (
            <Link
              href={`/projects/${projectId}/documents/${node.id}`}
              ref={(el) => {
                if (el) rowLinks.current.set(node.id, el);
                else rowLinks.current.delete(node.id);
              }}
              aria-keyshortcuts={canEdit ? 'Alt+ArrowUp Alt+ArrowDown F2 Delete' : undefined}
              className="min-w-0 flex-1 truncate font-medium text-ink hover:text-accent"
              title={node.title}
            >
              {node.title}
            </Link>
          )}
          <span className="shrink-0 text-xs text-stone-500">{formatWords(node.wordCount)}</span>
          {canEdit && renaming !== node.id ? (
            <span className="flex shrink-0 items-center gap-1">
              <Button size="sm" variant="ghost" aria-label={`Move “${node.title}” up`} disabled={index === 0 || pending} onClick={() => move(node, 'up')}>
                ↑
              </Button>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Move “${node.title}” down`}
                disabled={index === count - 1 || pending}
                onClick={() => move(node, 'down')}
              >
                ↓
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setRenaming(node.id)} aria-label={`Rename “${node.title}”`}>
                Rename
              </Button>
              {childKind ? (
                <Button size="sm" variant="ghost" onClick={() => setAddingUnder(node.id)} aria-label={`Add a ${DOCUMENT_KIND_LABELS[childKind].toLowerCase()} to “${node.title}”`}>
                  + {DOCUMENT_KIND_LABELS[childKind]}
                </Button>
              ) : null}
              <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setConfirmDelete(node.id)} aria-label={`Delete “${node.title}”`}>
                Delete
              </Button>
            </span>
          ) : null}
        </div>
        {confirmDelete === node.id ? (
          <div role="alertdialog" aria-labelledby={`del-${node.id}`} className="flex flex-wrap items-center gap-3 border-b border-red-100 bg-red-50 px-4 py-3 text-sm">
            <p id={`del-${node.id}`} className="flex-1 text-red-900">
              Delete “{node.title}”{descendants ? ` and the ${descendants} ${descendants === 1 ? 'document' : 'documents'} inside it` : ''}? This cannot be undone.
            </p>
            <Button
              size="sm"
              variant="danger"
              autoFocus
              onClick={() => {
                const before = docs;
                const gone = new Set([node.id]);
                for (let grew = true; grew; ) {
                  grew = false;
                  for (const d of docs) {
                    if (d.parentId && gone.has(d.parentId) && !gone.has(d.id)) {
                      gone.add(d.id);
                      grew = true;
                    }
                  }
                }
                setDocs(docs.filter((d) => !gone.has(d.id)));
                setConfirmDelete(null);
                run(`Deleted “${node.title}”.`, () => deleteDocumentAction({ projectId, documentId: node.id }), before);
              }}
            >
              Delete
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setConfirmDelete(null)}>
              Keep it
            </Button>
          </div>
        ) : null}
        {node.children.length || addingUnder === node.id ? (
          <ul>
            {node.children.map((child, i) => renderNode(child, depth + 1, i, node.children.length))}
            {addingUnder === node.id && childKind ? (
              <li className="border-b border-stone-100 bg-stone-50 px-3 py-2" style={{ paddingLeft: `${0.75 + (depth + 1) * 1.5}rem` }}>
                <AddForm
                  kinds={[childKind]}
                  autoFocus
                  onCancel={() => setAddingUnder(null)}
                  onAdd={async (kind, title) => {
                    const result = await run(`Added “${title}”.`, () => createDocumentAction({ projectId, parentId: node.id, kind, title }), undefined, true);
                    if (result.ok) setAddingUnder(null);
                    return result;
                  }}
                />
              </li>
            ) : null}
          </ul>
        ) : null}
      </li>
    );
  }

  return (
    <div className="space-y-4">
      <p aria-live="polite" className="sr-only">
        {status}
      </p>
      {error ? <Alert>{error}</Alert> : null}
      {!canEdit ? (
        <Alert tone="info">
          You can read this manuscript. Only editors and the owner can add, rename, reorder or delete its documents.
        </Alert>
      ) : null}
      {tree.length ? (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <ul aria-label="Manuscript outline" data-testid="document-tree" data-can-edit={canEdit}>
            {tree.map((node, i) => renderNode(node, 0, i, tree.length))}
          </ul>
        </div>
      ) : (
        <EmptyState title="This manuscript is empty">{canEdit ? 'Add a first chapter below to get started.' : 'Nothing has been written here yet.'}</EmptyState>
      )}
      {canEdit ? (
        <div className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm">
          <h2 className="mb-3 text-sm font-semibold text-stone-800">Add to the manuscript</h2>
          <AddForm kinds={topKinds} onAdd={(kind, title) => run(`Added “${title}”.`, () => createDocumentAction({ projectId, parentId: null, kind, title }), undefined, true)} />
          {tree.length > 1 ? (
            <p className="mt-3 text-xs text-stone-500">
              Reorder by dragging, with the arrow buttons, or from the keyboard: focus a title and press Alt+↑ or Alt+↓. F2 renames, Delete removes.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function AddForm({ kinds, onAdd, onCancel, autoFocus }: {
  kinds: DocumentKind[];
  /** Resolves with the server's answer: the title stays in the field, with the server's message, when refused. */
  onAdd: (kind: DocumentKind, title: string) => Promise<{ ok: boolean; error?: string }>;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const [kind, setKind] = useState<DocumentKind>(kinds[0]!);
  const [title, setTitle] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  return (
    <form
      className="flex flex-col gap-2 sm:flex-row sm:items-center"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!title.trim()) return setProblem('Give it a title.');
        setProblem(null);
        const result = await onAdd(kind, title.trim());
        if (result.ok) setTitle('');
        else setProblem(result.error ?? 'That did not work.');
      }}
    >
      {kinds.length > 1 ? (
        <>
          <label htmlFor={`kind-${id}`} className="sr-only">
            Kind
          </label>
          <select id={`kind-${id}`} value={kind} onChange={(e) => setKind(e.target.value as DocumentKind)} className={cx(inputClass, 'sm:w-36')}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {DOCUMENT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <label htmlFor={`title-${id}`} className="sr-only">
        Title of the new {DOCUMENT_KIND_LABELS[kind].toLowerCase()}
      </label>
      <LimitedInput
        wrapperClassName="min-w-0 flex-1"
        limit={TITLE_LIMIT}
        id={`title-${id}`}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        placeholder={`${DOCUMENT_KIND_LABELS[kind]} title`}
        autoFocus={autoFocus}
        aria-invalid={Boolean(problem)}
        onKeyDown={(e) => e.key === 'Escape' && onCancel?.()}
        className={cx(inputClass, 'flex-1')}
      />
      <Button type="submit" size="md">
        Add {DOCUMENT_KIND_LABELS[kind].toLowerCase()}
      </Button>
      {onCancel ? (
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      ) : null}
      {problem ? (
        <p className="text-sm text-red-700" role="alert" data-testid="add-document-problem">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
