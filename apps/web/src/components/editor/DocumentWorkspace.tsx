'use client';

import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { useEditor } from '@tiptap/react';
import { MANUSCRIPT_FIELD, jsonToPlainText, manuscriptExtensions, type ProseMirrorJSON } from '@quire/domain/manuscript';
import { ROLE_LABELS, can, type ProjectRole } from '@quire/domain/roles';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ExportFromEditor } from '@/components/exports/ExportFromEditor';
import { useProjectLive } from '@/components/projects/ProjectLive';
import { encodeAnchor, passageRange } from './anchors';
import { editorApi } from './api';
import { CommentHighlights, commentHighlightsKey } from './commentHighlights';
import { CommentsPanel, type PendingComment } from './CommentsPanel';
import { SceneBreakCommands } from './extensions';
import { colorFor } from './format';
import { HistoryPanel } from './HistoryPanel';
import { icons } from './icons';
import { PresenceAvatars, usePresence } from './Presence';
import { ScreenplayKeys } from './screenplay';
import { SheetButtons, SidePanel, PanelTabs, type Panel } from './SidePanel';
import { StatusBadge, saveStatus } from './StatusBadge';
import { Toolbar } from './Toolbar';
import { useAccessToken, useProactiveRefresh } from './useAccessToken';
import { useCollaboration, type ServerMessage } from './useCollaboration';
import { useCommentThreads } from './useCommentThreads';
import { useComments, useVersions } from './useEditorData';
import { useVersionPreview } from './useVersionPreview';
import { VersionView } from './VersionView';
import { ManuscriptPage, RefusedPage, WordCountFooter } from './ManuscriptPage';
import { useWordCounts } from './wordCount';
import './editor.css';

export interface WorkspaceDocument {
  id: string;
  title: string;
  kind: string;
  projectId: string;
  projectTitle: string;
  projectKind: string;
  /** The count stored with the document when the page was rendered; the project's header adds the live difference. */
  wordCount: number;
}

export interface WorkspaceProps {
  document: WorkspaceDocument;
  /** The caller's role as the database saw it when the page was rendered; the collab server may update it live. */
  role: ProjectRole;
  me: { id: string; name: string };
  /** Where the browser reaches the collab server, passed from the server's runtime configuration. */
  collabUrl: string;
  accessToken: string;
}

export function DocumentWorkspace(props: WorkspaceProps) {
  const { document: doc, me } = props;
  const screenplay = doc.kind === 'screenplay' || (doc.projectKind === 'screenplay' && doc.kind !== 'notes');

  // ---- access token: asked on each (re)connect, refreshed before it runs out and re-sent to the open connection
  const { tokenRef, refreshToken, getToken } = useAccessToken(props.accessToken);

  // ---- comments and history data
  const { comments, loading: commentsLoading, error: commentsError, refetch: refetchComments } = useComments(doc.id);
  const [historyOpened, setHistoryOpened] = useState(false);
  const { versions, loading: versionsLoading, error: versionsError, refetch: refetchVersions } = useVersions(doc.id, historyOpened);
  const [notice, setNotice] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const say = useCallback((text: string, tone: 'info' | 'error' = 'info') => setNotice({ text, tone }), []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  const providerRef = useRef<{ sendToken: () => Promise<void> } | null>(null);
  const onMessage = useCallback(
    (message: ServerMessage) => {
      if (message.type === 'comments-changed') void refetchComments();
      else if (message.type === 'version-saved') void refetchVersions();
      else if (message.type === 'version-restored') {
        void refetchVersions();
        if (message.userId !== me.id) say('A co-writer restored an earlier version. The draft now shows it.');
      } else if (message.type === 'error' && /token/i.test(message.code)) {
        void refreshToken().then(() => providerRef.current?.sendToken());
      } else if (message.type === 'error' && !message.requestId) {
        say(message.message, 'error');
      }
    },
    [refetchComments, refetchVersions, refreshToken, say, me.id],
  );

  const collab = useCollaboration({ documentId: doc.id, url: props.collabUrl, getToken, onMessage });
  providerRef.current = collab?.provider ?? null;

  useProactiveRefresh(collab?.provider, tokenRef, refreshToken);

  // ---- role: the page's answer until the server says otherwise (a downgrade reaches open editors at once)
  const role = (collab?.session?.role as ProjectRole | undefined) ?? props.role;
  const refused = !!collab?.refusal?.final;
  const canEdit = can.edit(role) && !(collab?.session?.readOnly ?? false) && !refused;
  const canComment = can.comment(role) && !refused;
  const canModerate = can.moderateComments(role);

  // the project's header shows the same role as the editor, and the same length as the words on the page
  const projectLive = useProjectLive();
  const reportRole = projectLive?.reportRole;
  const liveRole = collab?.session?.role as ProjectRole | undefined;
  useEffect(() => {
    if (liveRole && liveRole in ROLE_LABELS) reportRole?.(liveRole);
  }, [liveRole, reportRole]);

  // reconnecting may have missed "comments changed" messages; catch up once per reconnect
  const connection = collab?.connection ?? 'connecting';
  const wasConnected = useRef(false);
  useEffect(() => {
    if (connection === 'connected') {
      if (wasConnected.current) void refetchComments();
      wasConnected.current = true;
    }
  }, [connection, refetchComments]);

  // ---- the editor
  const [activeId, setActiveId] = useState<string | null>(null);
  const activate = useRef<(id: string | null) => void>(() => {});
  activate.current = (id) => {
    setActiveId(id);
    if (id) {
      setPanel('comments');
      setSheetOpen(true);
    }
  };
  const caretUser = useMemo(() => ({ name: me.name, color: colorFor(me.id), userId: me.id }), [me.name, me.id]);
  const editor = useEditor(
    {
      immediatelyRender: false,
      shouldRerenderOnTransaction: false,
      editable: false,
      // Until the Y.Doc exists the editor has the schema and nothing else; it is rebuilt once the document is open.
      extensions: [
        // the server's schema, without StarterKit's trailing paragraph: it would write to the shared document on
        // its own (also for read-only readers, whose writes the server refuses) and add stray blocks
        ...manuscriptExtensions().map((extension) => (extension.name === 'starterKit' ? extension.configure({ trailingNode: false }) : extension)),
        ...(collab
          ? [
              Collaboration.configure({ document: collab.doc, field: MANUSCRIPT_FIELD }),
              CollaborationCaret.configure({ provider: collab.provider, user: caretUser }),
              CommentHighlights.configure({ onActivate: (id) => activate.current(id) }),
              SceneBreakCommands,
              ...(screenplay ? [ScreenplayKeys] : []),
            ]
          : []),
      ],
      editorProps: {
        attributes: {
          'aria-label': `${doc.title} — manuscript`,
          'aria-multiline': 'true',
          role: 'textbox',
          spellcheck: 'true',
          'data-testid': 'manuscript',
        },
      },
    },
    [collab?.provider],
  );

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable !== canEdit) editor.setEditable(canEdit, false);
  }, [editor, canEdit]);

  useEffect(() => {
    const session = collab?.session;
    if (editor && !editor.isDestroyed && session) editor.commands.updateUser({ name: session.name, color: session.color, userId: session.userId });
  }, [editor, collab?.session]);

  // ---- word counts: the document's (as the server counts it) and the selection's
  const counts = useWordCounts(editor);

  const reportWords = projectLive?.reportDocumentWords;
  // before the first exchange with the server the page may show an empty or older copy, not the document
  const liveWords = collab?.synced && counts ? counts.words : null;
  useEffect(() => {
    if (liveWords !== null) reportWords?.(doc.id, { live: liveWords, stored: doc.wordCount });
  }, [reportWords, doc.id, doc.wordCount, liveWords]);
  useEffect(() => () => reportWords?.(doc.id, null), [reportWords, doc.id]);

  // ---- comment anchors: where each thread's passage is now, and their highlights
  const threads = useCommentThreads(editor, comments, activeId, !!collab?.synced);

  // ---- panels
  const { selectedVersionId, setSelectedVersionId, version, versionError } = useVersionPreview(doc.id);
  const [panel, setPanel] = useState<Panel>('comments');
  const [sheetOpen, setSheetOpen] = useState(false);
  const [pending, setPending] = useState<PendingComment | null>(null);
  const [naming, setNaming] = useState(false);
  const openPanel = (next: Panel) => {
    setPanel(next);
    setSheetOpen(true);
    if (next === 'history') setHistoryOpened(true);
  };

  const startComment = useCallback(() => {
    if (!editor || !canComment) return;
    const { state } = editor;
    const text = (a: number, b: number) => state.doc.textBetween(a, b, '\n', ' ');
    const { from, to } = passageRange(state.doc, state.selection.from, state.selection.to);
    if (from >= to) {
      say('Select the words you want to comment on first.');
      return;
    }
    const anchor = encodeAnchor(state, from, to);
    if (!anchor) {
      say('That selection cannot hold a comment. Select some text.', 'error');
      return;
    }
    setPending({ anchor, quote: text(from, to).slice(0, 2000) });
    setActiveId(null);
    setPanel('comments');
    setSheetOpen(true);
  }, [editor, canComment, say]);

  const startSaveVersion = useCallback(() => {
    if (!canEdit) return;
    setNaming(true);
    openPanel('history');
  }, [canEdit]); // eslint-disable-line react-hooks/exhaustive-deps

  // Ctrl+S names a version instead of saving the page; Ctrl+Alt+M comments. Window-wide so they work from the panels too.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        startSaveVersion();
      } else if (mod && event.altKey && (event.key.toLowerCase() === 'm' || event.code === 'KeyM')) {
        event.preventDefault();
        startComment();
      } else if (event.key === 'Escape' && selectedVersionId) {
        setSelectedVersionId(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const commentActions = {
    onCreate: async (body: string) => {
      if (!pending) return;
      const created = await editorApi.createThread(doc.id, { body, anchor: pending.anchor, quote: pending.quote });
      setPending(null);
      await refetchComments();
      setActiveId(created.id);
    },
    onCancelCreate: () => setPending(null),
    onReply: async (threadId: string, body: string) => {
      await editorApi.reply(doc.id, threadId, body);
      await refetchComments();
    },
    onEdit: async (commentId: string, body: string) => {
      await editorApi.editComment(doc.id, commentId, body);
      await refetchComments();
    },
    onDelete: async (commentId: string) => {
      await editorApi.deleteComment(doc.id, commentId);
      if (commentId === activeId) setActiveId(null);
      await refetchComments();
    },
    onResolve: async (threadId: string, resolved: boolean) => {
      await editorApi.setResolved(doc.id, threadId, resolved);
      if (resolved) setActiveId(null);
      await refetchComments();
    },
    onSelect: (threadId: string | null) => {
      setActiveId(threadId);
      const thread = threads.find((t) => t.root.id === threadId);
      if (editor && thread?.range) {
        const { node } = editor.view.domAtPos(thread.range.from);
        const element = node instanceof Element ? node : node.parentElement;
        element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      }
    },
  };

  // ---- versions

  const saveVersion = async (label: string) => {
    if (collab?.connection === 'connected') {
      await collab.request({ type: 'save-version', label }, 'version-saved');
    } else {
      // offline the live state cannot be snapshotted; name what the server last stored instead, and say so
      await editorApi.saveVersion(doc.id, label);
      say('Saved the last stored draft. Edits made offline will be in the next version.');
    }
    setNaming(false);
    await refetchVersions();
  };

  const restoreVersion = async () => {
    if (!collab || !selectedVersionId) return;
    await collab.request({ type: 'restore-version', versionId: selectedVersionId }, 'version-restored', 30_000);
    setSelectedVersionId(null);
    say('Version restored. The draft before it was kept in the history.');
    await refetchVersions();
  };

  // Leaving (or a reload the page did not ask for, such as a background refresh failing offline) with edits the
  // server has not stored asks first: the edits are safe in this browser, but only an open page syncs them.
  const unsafeToLeave = canEdit && (connection === 'offline' || !(collab?.stored ?? true));
  useEffect(() => {
    if (!unsafeToLeave) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unsafeToLeave]);

  const currentText = useCallback(() => (editor ? jsonToPlainText(editor.getJSON() as ProseMirrorJSON) : ''), [editor]);

  // ---- what the page shows
  const presence = usePresence(collab?.provider.awareness, collab?.session?.userId ?? me.id);
  const [waitedLong, setWaitedLong] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setWaitedLong(true), 2500);
    return () => clearTimeout(timer);
  }, []);
  const ready = !!editor && !!collab && !!commentHighlightsKey.getState(editor.state) && (collab.synced || (collab.localReady && (collab.connection === 'offline' || waitedLong)));
  const status = saveStatus({
    connection,
    stored: collab?.stored ?? true,
    synced: collab?.synced ?? false,
    readOnly: !canEdit,
    refused,
  });
  const openCount = threads.filter((t) => !t.root.resolvedAt).length;
  const placeholder = screenplay ? '"Start with a scene heading (Ctrl+Alt+1), or just write: Tab changes the element."' : '"Start writing…"';

  const panelBody =
    panel === 'comments' ? (
      <CommentsPanel
        threads={threads}
        loading={commentsLoading}
        error={commentsError}
        activeId={activeId}
        pending={pending}
        permissions={{ myUserId: me.id, canComment, canModerate }}
        actions={commentActions}
        onRetry={() => void refetchComments()}
      />
    ) : (
      <HistoryPanel
        versions={versions}
        loading={versionsLoading}
        error={versionsError}
        selectedId={selectedVersionId}
        canEdit={canEdit}
        myUserId={me.id}
        naming={naming}
        onStartNaming={() => setNaming(true)}
        onCancelNaming={() => setNaming(false)}
        onSave={saveVersion}
        onSelect={(id) => {
          setSelectedVersionId(id);
          setSheetOpen(false);
        }}
        onRetry={() => void refetchVersions()}
      />
    );

  return (
    <div
      className="quire-workspace -mx-4 -mt-1 flex min-h-[calc(100dvh-3.5rem)] flex-col sm:mt-0 border-y border-stone-200 bg-stone-100/70 sm:mx-0 sm:min-h-[70vh] sm:rounded-xl sm:border"
      data-testid="document-workspace"
      data-document-id={doc.id}
      data-ready={ready ? 'true' : 'false'}
      data-can-edit={canEdit ? 'true' : 'false'}
    >
      {/* header: where we are, who is here, whether the work is safe */}
      <div className="sticky top-0 z-30 rounded-t-xl border-b border-stone-200 bg-white/95 backdrop-blur">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 px-3 py-1.5 sm:px-4 sm:py-2">
          <div className="min-w-0 flex-1">
            <h2 className="truncate font-serif text-lg text-ink sm:text-xl" data-testid="document-title" title={doc.title}>
              {doc.title}
            </h2>
            {/* on a phone the project's one-line header above already says the role */}
            <p className="hidden truncate text-xs text-stone-500 sm:block">
              {screenplay ? 'Screenplay' : doc.kind === 'post' ? 'Post' : doc.kind.charAt(0).toUpperCase() + doc.kind.slice(1)} · you are{' '}
              {role === 'owner' || role === 'editor' ? 'an' : 'a'} {ROLE_LABELS[role].toLowerCase()}
            </p>
          </div>
          <PresenceAvatars users={presence} />
          <StatusBadge status={status} unsyncedOffline={!(collab?.stored ?? true)} />
          {!refused && <ExportFromEditor projectId={doc.projectId} documentId={doc.id} />}
          <div className="hidden lg:block">
            <PanelTabs panel={panel} openCount={openCount} onOpen={openPanel} inSheet={false} />
          </div>
          <SheetButtons openCount={openCount} onOpen={openPanel} />
        </div>
        {editor && ready && !refused && (canEdit || canComment) && !selectedVersionId && (
          <Toolbar editor={editor} screenplay={screenplay} canEdit={canEdit} canComment={canComment} onComment={startComment} onSaveVersion={startSaveVersion} />
        )}
      </div>

      {!canEdit && !refused && ready && (
        <div className="flex items-center gap-2 border-b border-sky-200 bg-sky-50 px-3 py-1.5 text-xs text-sky-900 sm:px-4 sm:py-2 sm:text-sm" data-testid="read-only-notice">
          {icons.lock}
          <span>
            {canComment
              ? `Read-only: as a ${ROLE_LABELS[role].toLowerCase()} you can select text and comment, but only editors change the text.`
              : role !== props.role
                ? `Read-only: your role in this project was changed to ${ROLE_LABELS[role].toLowerCase()}. You can read along live but not edit or comment.`
                : 'Read-only: viewers can read along live but cannot edit or comment. Ask the owner for more access.'}
          </span>
        </div>
      )}

      {notice && (
        <div
          className={`pointer-events-none fixed inset-x-0 bottom-6 z-50 mx-auto w-fit max-w-[90vw] rounded-lg px-4 py-2 text-sm shadow-lg ${notice.tone === 'error' ? 'bg-red-700 text-white' : 'bg-ink text-white'}`}
          role="status"
          data-testid="editor-notice"
        >
          {notice.text}
        </div>
      )}

      <div className="flex flex-1 items-stretch">
        {/* the page */}
        <div className="relative min-w-0 flex-1">
          {refused ? (
            <RefusedPage message={collab?.refusal?.message} projectId={doc.projectId} projectTitle={doc.projectTitle} />
          ) : (
            <ManuscriptPage
              editor={editor}
              projectId={doc.projectId}
              ready={ready}
              screenplay={screenplay}
              offline={connection === 'offline'}
              placeholder={canEdit ? placeholder : '"Nothing written yet."'}
              overlay={
                selectedVersionId && (
                  <VersionView
                    version={version}
                    loading={!version && !versionError}
                    error={versionError}
                    currentText={currentText}
                    screenplay={screenplay}
                    canRestore={canEdit}
                    myUserId={me.id}
                    onRestore={restoreVersion}
                    onClose={() => setSelectedVersionId(null)}
                  />
                )
              }
            />
          )}
        </div>

        <SidePanel panel={panel} openCount={openCount} onOpen={openPanel} sheetOpen={sheetOpen} onCloseSheet={() => setSheetOpen(false)}>
          {panelBody}
        </SidePanel>
      </div>

      <WordCountFooter counts={counts} screenplay={screenplay} />
    </div>
  );
}
