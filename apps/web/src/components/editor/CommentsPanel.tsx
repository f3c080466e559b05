'use client';

import { commentBody } from '@quire/domain/schemas/editor';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CharacterCount } from '@/components/ui/CharacterLimit';
import type { CommentDto } from './api';
import { formatCount } from '@/components/ui/format';
import { formatRelative } from '@/components/ui/format';
import { colorFor, fullTime, initials } from './format';
import { icons } from './icons';

export interface Thread {
  root: CommentDto;
  replies: CommentDto[];
  /** Where the passage is now; null when its text was deleted (the thread is detached, never dropped). */
  range: { from: number; to: number } | null;
}

export interface PendingComment {
  quote: string;
  anchor: { from: string; to: string };
}

interface Permissions {
  myUserId: string;
  canComment: boolean;
  /** Editors and owners resolve and delete anyone's thread. */
  canModerate: boolean;
}

interface Actions {
  onCreate: (body: string) => Promise<void>;
  onCancelCreate: () => void;
  onReply: (threadId: string, body: string) => Promise<void>;
  onEdit: (commentId: string, body: string) => Promise<void>;
  onDelete: (commentId: string) => Promise<void>;
  onResolve: (threadId: string, resolved: boolean) => Promise<void>;
  onSelect: (threadId: string | null) => void;
}

/** The server's limit on a comment, from the schema it validates with. */
const COMMENT_LIMIT = commentBody.maxLength ?? 10_000;
/** Comments longer than this many characters or lines start collapsed, with "Show more". */
const COLLAPSE_CHARS = 600;
const COLLAPSE_LINES = 8;

function submitOnModEnter(event: KeyboardEvent<HTMLTextAreaElement>, submit: () => void, cancel?: () => void) {
  if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
    event.preventDefault();
    submit();
  } else if (event.key === 'Escape' && cancel) {
    event.preventDefault();
    cancel();
  }
}

function Avatar({ name, id }: { name: string; id: string }) {
  return (
    <span className="flex size-7 shrink-0 items-center justify-center rounded-full text-[11px] font-semibold text-white" style={{ backgroundColor: colorFor(id) }} aria-hidden>
      {initials(name)}
    </span>
  );
}

function Composer(props: {
  placeholder: string;
  submitLabel: string;
  initial?: string;
  autoFocus?: boolean;
  onSubmit: (body: string) => Promise<void>;
  onCancel?: () => void;
  testId?: string;
}) {
  const [body, setBody] = useState(props.initial ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (props.autoFocus) ref.current?.focus();
  }, [props.autoFocus]);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(body.trim());
      setBody('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="space-y-2" data-testid={props.testId}>
      <textarea
        ref={ref}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={(event) => submitOnModEnter(event, () => void submit(), props.onCancel)}
        placeholder={props.placeholder}
        rows={2}
        className="block w-full resize-y rounded-md border border-stone-300 bg-white px-3 py-2 text-sm text-ink placeholder:text-stone-400 focus:border-accent focus:outline-none"
        aria-label={props.placeholder}
      />
      <CharacterCount length={body.trim().length} limit={COMMENT_LIMIT} />
      {error && (
        <p className="text-xs text-red-700" role="alert">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel} className="rounded-md px-2.5 py-1 text-sm text-stone-600 hover:bg-stone-100">
            Cancel
          </button>
        )}
        <button
          type="submit"
          disabled={!body.trim() || busy}
          className="rounded-md bg-accent px-3 py-1 text-sm font-medium text-white hover:bg-[#7c2d12] disabled:cursor-not-allowed disabled:bg-stone-300"
        >
          {busy ? 'Sending…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}

/** A comment's text; a long one starts collapsed so one thread cannot push every other one out of sight. */
function CommentBody({ body }: { body: string }) {
  const long = body.length > COLLAPSE_CHARS || body.split('\n').length > COLLAPSE_LINES;
  const [expanded, setExpanded] = useState(false);
  const collapsed = long && !expanded;
  return (
    <>
      <p
        className={`mt-0.5 text-sm break-words whitespace-pre-wrap text-stone-800 ${collapsed ? 'line-clamp-6' : ''}`}
        data-testid="comment-body"
        data-collapsed={collapsed ? 'true' : 'false'}
      >
        {body}
      </p>
      {long && (
        <button
          type="button"
          className="mt-0.5 text-xs font-medium text-accent hover:underline"
          aria-expanded={expanded}
          onClick={(event) => {
            event.stopPropagation();
            setExpanded(!expanded);
          }}
          data-testid="comment-show-more"
        >
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </>
  );
}

function CommentItem({ comment, permissions, actions, isRoot }: { comment: CommentDto; permissions: Permissions; actions: Actions; isRoot: boolean }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = comment.userId === permissions.myUserId;
  const canDelete = (mine && permissions.canComment) || permissions.canModerate;
  const edited = comment.updatedAt !== comment.createdAt && new Date(comment.updatedAt).getTime() - new Date(comment.createdAt).getTime() > 1000;
  return (
    <div className="flex gap-2.5" data-comment-id={comment.id}>
      <Avatar name={comment.authorName} id={comment.userId} />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          <span className="truncate text-sm font-semibold text-ink">{mine ? 'You' : comment.authorName}</span>
          <time className="shrink-0 text-xs text-stone-500" dateTime={comment.createdAt} title={fullTime(comment.createdAt)}>
            {formatRelative(comment.createdAt)}
            {edited ? ' · edited' : ''}
          </time>
        </div>
        {editing ? (
          <div className="mt-1">
            <Composer
              initial={comment.body}
              autoFocus
              placeholder="Edit your comment"
              submitLabel="Save"
              onSubmit={async (body) => {
                await actions.onEdit(comment.id, body);
                setEditing(false);
              }}
              onCancel={() => setEditing(false)}
            />
          </div>
        ) : (
          <CommentBody body={comment.body} />
        )}
        {!editing && (mine || canDelete) && (
          <div className="mt-1 flex gap-3 text-xs text-stone-500">
            {mine && permissions.canComment && (
              <button type="button" className="hover:text-ink hover:underline" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
            {canDelete &&
              (confirming ? (
                <span className="flex gap-2">
                  <button
                    type="button"
                    className="font-medium text-red-700 hover:underline"
                    onClick={async () => {
                      try {
                        await actions.onDelete(comment.id);
                      } catch (e) {
                        setError((e as Error).message);
                        setConfirming(false);
                      }
                    }}
                  >
                    {isRoot ? 'Delete thread' : 'Delete'}
                  </button>
                  <button type="button" className="hover:underline" onClick={() => setConfirming(false)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="hover:text-red-700 hover:underline" onClick={() => setConfirming(true)}>
                  Delete
                </button>
              ))}
          </div>
        )}
        {error && <p className="mt-1 text-xs text-red-700">{error}</p>}
      </div>
    </div>
  );
}

function ThreadCard({ thread, active, permissions, actions }: { thread: Thread; active: boolean; permissions: Permissions; actions: Actions }) {
  const { root, replies, range } = thread;
  const resolved = !!root.resolvedAt;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  const canResolve = permissions.canModerate || (root.userId === permissions.myUserId && permissions.canComment);
  useEffect(() => {
    if (active) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [active]);
  const toggleResolved = async () => {
    setBusy(true);
    setError(null);
    try {
      await actions.onResolve(root.id, !resolved);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article
      ref={ref}
      className={`rounded-lg border bg-white p-3 shadow-sm transition-shadow ${active ? 'border-accent/60 ring-2 ring-accent/20' : 'border-stone-200 hover:border-stone-300'}`}
      onClick={() => actions.onSelect(root.id)}
      onKeyDown={(event) => {
        if (event.target === event.currentTarget && (event.key === 'Enter' || event.key === ' ')) {
          event.preventDefault();
          actions.onSelect(root.id);
        }
      }}
      tabIndex={0}
      aria-label={`Thread by ${root.authorName}${root.quote ? ` on “${root.quote.slice(0, 60)}”` : ''}`}
      data-testid="comment-thread"
      data-thread-id={root.id}
      data-resolved={resolved ? 'true' : 'false'}
      data-detached={range ? 'false' : 'true'}
      aria-current={active ? 'true' : undefined}
    >
      <div className="mb-2 flex items-start justify-between gap-2">
        {root.quote !== null && (
          <blockquote
            className={`line-clamp-3 min-w-0 border-l-2 pl-2 font-serif text-[13px] italic ${range ? 'border-amber-400 text-stone-700' : 'border-stone-300 text-stone-400 line-through'}`}
            data-testid="comment-quote"
          >
            {root.quote || '…'}
          </blockquote>
        )}
        {canResolve && (
          <button
            type="button"
            onClick={(event) => {
              event.stopPropagation();
              void toggleResolved();
            }}
            disabled={busy}
            className="inline-flex shrink-0 items-center gap-1 rounded-md border border-stone-200 px-2 py-0.5 text-xs font-medium text-stone-700 hover:border-emerald-300 hover:bg-emerald-50 hover:text-emerald-800 disabled:opacity-50"
            title={resolved ? 'Reopen this thread' : 'Resolve this thread'}
            data-testid={resolved ? 'reopen-thread' : 'resolve-thread'}
          >
            {resolved ? icons.reopen : icons.check}
            {resolved ? 'Reopen' : 'Resolve'}
          </button>
        )}
      </div>
      {!range && (
        <p className="mb-2 rounded bg-stone-100 px-2 py-1 text-xs text-stone-600" data-testid="detached-note">
          The text this comment was on has been deleted.
        </p>
      )}
      {resolved && (
        <p className="mb-2 text-xs text-emerald-800">
          Resolved{root.resolvedByName ? ` by ${root.resolvedBy === permissions.myUserId ? 'you' : root.resolvedByName}` : ''} · {formatRelative(root.resolvedAt!)}
        </p>
      )}
      <div className="space-y-3">
        <CommentItem comment={root} permissions={permissions} actions={actions} isRoot />
        {replies.map((reply) => (
          <CommentItem key={reply.id} comment={reply} permissions={permissions} actions={actions} isRoot={false} />
        ))}
      </div>
      {error && <p className="mt-2 text-xs text-red-700">{error}</p>}
      {permissions.canComment && active && !resolved && (
        <div className="mt-3 border-t border-stone-100 pt-3" onClick={(event) => event.stopPropagation()}>
          <Composer placeholder="Reply…" submitLabel="Reply" onSubmit={(body) => actions.onReply(root.id, body)} testId="reply-form" />
        </div>
      )}
      {!active && replies.length > 0 && <p className="mt-2 text-xs text-stone-500">{formatCount(replies.length, 'reply', 'replies')}</p>}
    </article>
  );
}

export function CommentsPanel(props: {
  threads: Thread[];
  loading: boolean;
  error: string | null;
  activeId: string | null;
  pending: PendingComment | null;
  permissions: Permissions;
  actions: Actions;
  onRetry: () => void;
}) {
  const [filter, setFilter] = useState<'open' | 'resolved'>('open');
  const open = props.threads.filter((t) => !t.root.resolvedAt);
  const resolved = props.threads.filter((t) => t.root.resolvedAt);
  const shown = filter === 'open' ? open : resolved;
  // the thread the reader is looking at decides the tab: clicking a resolved passage shows the resolved list
  const activeThread = props.threads.find((t) => t.root.id === props.activeId);
  useEffect(() => {
    if (activeThread) setFilter(activeThread.root.resolvedAt ? 'resolved' : 'open');
  }, [activeThread?.root.id, activeThread?.root.resolvedAt]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (props.pending) setFilter('open');
  }, [props.pending]);

  return (
    <div className="flex h-full flex-col" data-testid="comments-panel">
      <div className="flex gap-1 border-b border-stone-200 px-3 pt-2" role="tablist" aria-label="Threads">
        {(['open', 'resolved'] as const).map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={filter === tab}
            onClick={() => setFilter(tab)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${filter === tab ? 'border-accent text-ink' : 'border-transparent text-stone-500 hover:text-ink'}`}
            data-testid={`comments-tab-${tab}`}
          >
            {tab === 'open' ? 'Open' : 'Resolved'}
            <span className="ml-1.5 rounded-full bg-stone-100 px-1.5 py-0.5 text-xs text-stone-600">{tab === 'open' ? open.length : resolved.length}</span>
          </button>
        ))}
      </div>
      <div className="flex-1 space-y-3 overflow-y-auto p-3">
        {props.pending && (
          <div className="rounded-lg border border-accent/40 bg-accent-soft p-3" data-testid="new-comment">
            <blockquote className="mb-2 line-clamp-3 border-l-2 border-amber-400 pl-2 font-serif text-[13px] text-stone-700 italic">{props.pending.quote}</blockquote>
            <Composer
              autoFocus
              placeholder="Add a comment"
              submitLabel="Comment"
              onSubmit={props.actions.onCreate}
              onCancel={props.actions.onCancelCreate}
              testId="new-comment-form"
            />
          </div>
        )}
        {props.error && (
          <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" role="alert">
            {props.error}{' '}
            <button type="button" className="font-medium underline" onClick={props.onRetry}>
              Try again
            </button>
          </div>
        )}
        {props.loading && !props.threads.length ? (
          <div className="space-y-3" aria-label="Loading comments">
            {[0, 1].map((i) => (
              <div key={i} className="h-24 animate-pulse rounded-lg bg-stone-200/60" />
            ))}
          </div>
        ) : shown.length === 0 && !props.pending ? (
          <div className="px-3 py-10 text-center" data-testid="comments-empty">
            <p className="font-serif text-base text-ink">{filter === 'open' ? 'No open comments' : 'Nothing resolved yet'}</p>
            <p className="mt-1 text-sm text-stone-500">
              {filter === 'open'
                ? props.permissions.canComment
                  ? 'Select a passage and choose Comment (Ctrl+Alt+M) to start a thread.'
                  : 'Comments from reviewers will appear here.'
                : 'Resolved threads are kept here and can be reopened.'}
            </p>
          </div>
        ) : (
          shown.map((thread) => (
            <ThreadCard key={thread.root.id} thread={thread} active={thread.root.id === props.activeId} permissions={props.permissions} actions={props.actions} />
          ))
        )}
      </div>
    </div>
  );
}
