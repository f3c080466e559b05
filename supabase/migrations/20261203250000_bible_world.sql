-- The story bible's world half: the relationship graph, nested locations with their events on a timeline, and the
-- mentions of characters and locations found in each document's stored text. The writer-tools tables existed; this
-- gives them what the structure boards have (row versions, the quire_live feed), plus:
--   * relationships: a custom type label, and an optional "changes at" point in the story (a document or a section);
--   * locations: a tree guard, so a location never becomes its own ancestor, even under concurrent moves;
--   * events: the characters involved (a link table, so deleting a character or an event leaves nothing behind);
--   * mentions: per document, per character/location, the count and the first and last offset in plain_text, and
--     repeated capitalised names that match nobody; written by the mentions job, read by members.

-- ---------------------------------------------------------------------------------------------------------------
-- Row versions and the change feed (private.bump_version and private.notify_live come from the structure studio)

alter table public.character_relationships
  add column version integer not null default 1,
  add column label text not null default '' check (char_length(label) <= 60),
  add column changes_at_document_id uuid references public.documents (id) on delete set null,
  add column changes_at_section_id uuid references public.outline_sections (id) on delete set null,
  add column changes_note text not null default '' check (char_length(changes_note) <= 2000);
-- two custom relationships of different labels between the same pair are two relationships
do $$
declare
  v_name text;
begin
  select conname into v_name from pg_constraint
   where conrelid = 'public.character_relationships'::regclass and contype = 'u';
  execute format('alter table public.character_relationships drop constraint %I', v_name);
end
$$;
create unique index character_relationships_pair_kind_idx
  on public.character_relationships (character_id, related_character_id, kind, label);
create index character_relationships_changes_doc_idx on public.character_relationships (changes_at_document_id);
create index character_relationships_changes_section_idx on public.character_relationships (changes_at_section_id);
create trigger character_relationships_changes_doc before insert or update on public.character_relationships
  for each row execute function private.check_same_project('documents', 'changes_at_document_id');
create trigger character_relationships_changes_section before insert or update on public.character_relationships
  for each row execute function private.check_same_project('outline_sections', 'changes_at_section_id');

alter table public.locations add column version integer not null default 1;
alter table public.location_events add column version integer not null default 1;

create trigger character_relationships_version before update on public.character_relationships
  for each row execute function private.bump_version();
create trigger locations_version before update on public.locations for each row execute function private.bump_version();
create trigger location_events_version before update on public.location_events for each row execute function private.bump_version();

create trigger character_relationships_live after insert or update or delete on public.character_relationships
  for each row execute function private.notify_live();
create trigger locations_live after insert or update or delete on public.locations
  for each row execute function private.notify_live();
create trigger location_events_live after insert or update or delete on public.location_events
  for each row execute function private.notify_live();

-- The graph and the timeline show characters, so characters join the feed too. The characters screens may have
-- given them a version and a feed already; add only what is missing, so the two never fire twice.
alter table public.characters add column if not exists version integer not null default 1;
do $$
begin
  if not exists (select 1 from pg_trigger t join pg_proc p on p.oid = t.tgfoid
                  where t.tgrelid = 'public.characters'::regclass and p.proname = 'bump_version' and not t.tgisinternal) then
    create trigger characters_version before update on public.characters for each row execute function private.bump_version();
  end if;
  if not exists (select 1 from pg_trigger t join pg_proc p on p.oid = t.tgfoid
                  where t.tgrelid = 'public.characters'::regclass and p.proname = 'notify_live' and not t.tgisinternal) then
    create trigger characters_live after insert or update or delete on public.characters
      for each row execute function private.notify_live();
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Location trees: no cycles, at most 12 levels. One advisory lock per project serialises re-parents, and each query
-- takes a fresh snapshot, so the second of two concurrent moves sees the first. The limit is MAX_LOCATION_DEPTH.

create function private.guard_location_tree() returns trigger
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
  perform pg_advisory_xact_lock(hashtextextended('quire.locations:' || new.project_id::text, 0));
  with recursive up (id, parent_id, depth) as (
    select l.id, l.parent_id, 1 from public.locations l where l.id = new.parent_id
    union all
    select l.id, l.parent_id, up.depth + 1 from public.locations l join up on l.id = up.parent_id
     where up.depth < 64 and up.id <> new.id
  )
  select coalesce(bool_or(id = new.id), false), coalesce(max(depth), 0) into v_cycle, v_above from up;
  if v_cycle then
    raise exception 'A location cannot be placed inside itself or one of the places within it.' using errcode = '23514';
  end if;
  if tg_op = 'UPDATE' then
    with recursive down (id, depth) as (
      select new.id, 0
      union all
      select l.id, down.depth + 1 from public.locations l join down on l.parent_id = down.id where down.depth < 64
    )
    select max(depth) into v_below from down;
  end if;
  if v_above + 1 + v_below > 12 then
    raise exception 'Locations nest at most 12 levels deep.' using errcode = '23514';
  end if;
  return new;
end
$$;

create trigger locations_tree before insert or update of parent_id on public.locations
  for each row execute function private.guard_location_tree();

-- ---------------------------------------------------------------------------------------------------------------
-- The characters involved in an event

create table public.location_event_characters (
  event_id uuid not null references public.location_events (id) on delete cascade,
  character_id uuid not null references public.characters (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  primary key (event_id, character_id)
);
create index location_event_characters_character_idx on public.location_event_characters (character_id);
create index location_event_characters_project_idx on public.location_event_characters (project_id);
create trigger location_event_characters_a_event before insert or update on public.location_event_characters
  for each row execute function private.check_same_project('location_events', 'event_id');
create trigger location_event_characters_character before insert or update on public.location_event_characters
  for each row execute function private.check_same_project('characters', 'character_id');
create trigger location_event_characters_live after insert or update or delete on public.location_event_characters
  for each row execute function private.notify_live();

-- ---------------------------------------------------------------------------------------------------------------
-- Mentions, recomputed by the mentions job from documents.plain_text

create table public.document_mention_scans (
  document_id uuid primary key references public.documents (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  -- what the scan saw: a hash of the text and of the names looked for; equal hashes mean nothing to recompute
  text_hash text not null,
  bible_hash text not null,
  words integer not null default 0,
  scanned_at timestamptz not null default now()
);
create index document_mention_scans_project_idx on public.document_mention_scans (project_id);

create table public.document_mentions (
  id bigint generated always as identity primary key,
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid not null references public.documents (id) on delete cascade,
  character_id uuid references public.characters (id) on delete cascade,
  location_id uuid references public.locations (id) on delete cascade,
  -- a repeated capitalised name that matches no character or location (a suggestion)
  unknown_name text check (unknown_name is null or char_length(unknown_name) <= 200),
  mentions integer not null check (mentions > 0),
  first_offset integer not null check (first_offset >= 0),
  last_offset integer not null check (last_offset >= first_offset),
  check (num_nonnulls(character_id, location_id, unknown_name) = 1)
);
create index document_mentions_document_idx on public.document_mentions (document_id);
create index document_mentions_project_idx on public.document_mentions (project_id);
create index document_mentions_character_idx on public.document_mentions (character_id);
create index document_mentions_location_idx on public.document_mentions (location_id);

-- one notification per stored scan, not per mention row
create trigger document_mention_scans_live after insert or update or delete on public.document_mention_scans
  for each row execute function private.notify_live();

do $$
declare
  v_table text;
begin
  foreach v_table in array array['location_event_characters']
  loop
    execute format('alter table public.%I enable row level security', v_table);
    execute format($p$create policy "%s: members read" on public.%I for select to authenticated
      using (private.has_role(project_id, null, 'viewer'))$p$, v_table, v_table);
    execute format($p$create policy "%s: editors create" on public.%I for insert to authenticated
      with check (private.has_role(project_id, null, 'editor'))$p$, v_table, v_table);
    execute format($p$create policy "%s: editors delete" on public.%I for delete to authenticated
      using (private.has_role(project_id, null, 'editor'))$p$, v_table, v_table);
    execute format('revoke all on public.%I from public, anon, authenticated', v_table);
    execute format('grant select, insert, delete on public.%I to authenticated', v_table);
    execute format('grant all on public.%I to service_role', v_table);
  end loop;
  -- mentions are written only by the job (as the service); members read them
  foreach v_table in array array['document_mention_scans', 'document_mentions']
  loop
    execute format('alter table public.%I enable row level security', v_table);
    execute format($p$create policy "%s: members read" on public.%I for select to authenticated
      using (private.has_role(project_id, null, 'viewer'))$p$, v_table, v_table);
    execute format('revoke all on public.%I from public, anon, authenticated', v_table);
    execute format('grant select on public.%I to authenticated', v_table);
    execute format('grant all on public.%I to service_role', v_table);
  end loop;
end
$$;

revoke all on function private.guard_location_tree() from public;
