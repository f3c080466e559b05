-- The structure studio: outlines, beat boards and plot issue cards edited by several writers at once. The writer-tools
-- tables lacked three things for that:
--   * a row version, raised by a trigger on every update, so a write names the version it was based on and a stale
--     write becomes a conflict the writer resolves instead of a silent overwrite;
--   * an order key that stays correct under concurrent moves: fractional keys (text, compared byte-wise, hence
--     collate "C"), so a move rewrites one row instead of renumbering its siblings;
--   * a change feed: every insert, update and delete on a board table (and a document's title or word count, which
--     outlines show) sends a small pg_notify on channel quire_live; the web app fans it out to the project's screens.
-- It also gives beats a link to an outline section, and issue cards an anchor into the text, a section or a beat.

-- ---------------------------------------------------------------------------------------------------------------
-- Row versions and order keys

alter table public.outlines
  add column version integer not null default 1,
  add column rank text collate "C" not null default 'a0' check (rank ~ '^[0-9A-Za-z]{1,200}$');
alter table public.outline_sections
  add column version integer not null default 1,
  add column rank text collate "C" not null default 'a0' check (rank ~ '^[0-9A-Za-z]{1,200}$');
alter table public.story_beats
  add column version integer not null default 1,
  add column rank text collate "C" not null default 'a0' check (rank ~ '^[0-9A-Za-z]{1,200}$'),
  -- the outline section that delivers the beat; the beat stays on the board when the section goes
  -- (story_beats.percent already holds the beat's ideal place, copied from its template)
  add column outline_section_id uuid references public.outline_sections (id) on delete set null;
alter table public.plot_analyses
  add column version integer not null default 1,
  add column source text not null default 'manual' check (source in ('manual', 'checks', 'generated'));
alter table public.plot_issues
  add column version integer not null default 1,
  add column outline_section_id uuid references public.outline_sections (id) on delete set null,
  add column beat_id uuid references public.story_beats (id) on delete set null,
  -- a Yjs relative position pair in document_id's text, the same shape comments use
  add column anchor jsonb check (anchor is null or jsonb_typeof(anchor) = 'object'),
  -- which deterministic check raised the card (null for cards made by hand or by a model)
  add column rule text check (rule is null or rule in ('beat_unlinked', 'section_empty', 'section_over_target',
                                                      'section_under_target', 'chapter_long', 'chapter_short',
                                                      'beat_drift'));

create index outline_sections_order_idx on public.outline_sections (outline_id, parent_id, rank);
create index story_beats_order_idx on public.story_beats (project_id, act, rank);
create index story_beats_outline_section_id_idx on public.story_beats (outline_section_id);
create index plot_issues_outline_section_id_idx on public.plot_issues (outline_section_id);
create index plot_issues_beat_id_idx on public.plot_issues (beat_id);

-- Linked rows must live in the same project as the row pointing at them.
create trigger story_beats_section before insert or update on public.story_beats
  for each row execute function private.check_same_project('outline_sections', 'outline_section_id');
create trigger plot_issues_section before insert or update on public.plot_issues
  for each row execute function private.check_same_project('outline_sections', 'outline_section_id');
create trigger plot_issues_beat before insert or update on public.plot_issues
  for each row execute function private.check_same_project('story_beats', 'beat_id');

create function private.bump_version() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.version := old.version + 1;
  return new;
end
$$;

create trigger outlines_version before update on public.outlines for each row execute function private.bump_version();
create trigger outline_sections_version before update on public.outline_sections for each row execute function private.bump_version();
create trigger story_beats_version before update on public.story_beats for each row execute function private.bump_version();
create trigger plot_analyses_version before update on public.plot_analyses for each row execute function private.bump_version();
create trigger plot_issues_version before update on public.plot_issues for each row execute function private.bump_version();

-- ---------------------------------------------------------------------------------------------------------------
-- Outline trees: no cycles, bounded depth, even when two writers re-parent at the same moment. The advisory lock per
-- outline serialises tree changes, and each query below takes a fresh snapshot (read committed), so the second mover
-- sees the first one's committed move. The depth limit is packages/domain's MAX_OUTLINE_DEPTH.

create function private.guard_outline_tree() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_cycle boolean;
  v_above integer;
  v_below integer := 0;
begin
  if new.parent_id is null or (tg_op = 'UPDATE' and new.parent_id is not distinct from old.parent_id) then
    return new;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('quire.outline:' || new.outline_id::text, 0));
  with recursive up (id, parent_id, depth) as (
    select s.id, s.parent_id, 1 from public.outline_sections s where s.id = new.parent_id
    union all
    select s.id, s.parent_id, up.depth + 1 from public.outline_sections s join up on s.id = up.parent_id
     where up.depth < 64 and up.id <> new.id
  )
  select coalesce(bool_or(id = new.id), false), coalesce(max(depth), 0) into v_cycle, v_above from up;
  if v_cycle then
    raise exception 'A section cannot be moved inside itself or one of its own sections.' using errcode = '23514';
  end if;
  if tg_op = 'UPDATE' then
    with recursive down (id, depth) as (
      select new.id, 0
      union all
      select s.id, down.depth + 1 from public.outline_sections s join down on s.parent_id = down.id where down.depth < 64
    )
    select max(depth) into v_below from down;
  end if;
  -- depth counts levels from 1 at the top: the parent's chain, the section itself, and what hangs below it
  if v_above + 1 + v_below > 8 then
    raise exception 'Outlines nest at most 8 levels deep.' using errcode = '23514';
  end if;
  return new;
end
$$;

create trigger outline_sections_tree before insert or update of parent_id on public.outline_sections
  for each row execute function private.guard_outline_tree();

-- ---------------------------------------------------------------------------------------------------------------
-- The change feed. The payload stays far under NOTIFY's 8000 bytes: which project, table, row, version and operation.
-- Screens refetch what changed through their own RLS-guarded reads, so the payload carries no content.

create function private.notify_live() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
begin
  perform pg_notify('quire_live', json_build_object(
    'projectId', v_row ->> 'project_id',
    'table', tg_table_name,
    'id', v_row ->> 'id',
    'version', (v_row ->> 'version')::integer,
    'op', lower(tg_op))::text);
  return null;
end
$$;

create trigger outlines_live after insert or update or delete on public.outlines
  for each row execute function private.notify_live();
create trigger outline_sections_live after insert or update or delete on public.outline_sections
  for each row execute function private.notify_live();
create trigger story_beats_live after insert or update or delete on public.story_beats
  for each row execute function private.notify_live();
create trigger plot_analyses_live after insert or update or delete on public.plot_analyses
  for each row execute function private.notify_live();
create trigger plot_issues_live after insert or update or delete on public.plot_issues
  for each row execute function private.notify_live();

-- Outlines show each linked document's word count against its target, so a document's count, title or existence
-- changing is news for the board too. The collab server stores often; only a real change notifies.
create trigger documents_live after insert or delete on public.documents
  for each row execute function private.notify_live();
create trigger documents_live_count after update of word_count, title on public.documents
  for each row when (old.word_count is distinct from new.word_count or old.title is distinct from new.title)
  execute function private.notify_live();

revoke all on function private.bump_version(), private.guard_outline_tree(), private.notify_live() from public;
