-- The writer's tools around the manuscript: outlines, beat boards, plot analysis, characters and the world.
-- Every row belongs to one project (project_id is carried on child rows too, so each policy is one has_role call and
-- one index) and follows DESIGN.md's roles table: any member reads, owners and editors edit.

-- ---------------------------------------------------------------------------------------------------------------
-- Shared guards

-- A row stays in its project and keeps its creator; without this an editor of two projects could carry a character
-- (or an outline, or a whole analysis) from one into the other with a single UPDATE.
create function private.guard_project_row() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_new jsonb := to_jsonb(new);
  v_old jsonb := to_jsonb(old);
begin
  if v_new ->> 'project_id' is distinct from v_old ->> 'project_id' then
    raise exception 'a % row cannot be moved to another project', tg_table_name using errcode = '42501';
  end if;
  if current_user in ('authenticated', 'anon') and v_new ->> 'user_id' is distinct from v_old ->> 'user_id' then
    raise exception 'the creator of a % row cannot be changed', tg_table_name using errcode = '42501';
  end if;
  return new;
end
$$;

-- Child rows reference a parent (tg_argv[0] = table, tg_argv[1] = column) that must live in the same project.
-- project_id is filled from the parent when the caller leaves it out. SECURITY DEFINER so it sees the parent's real
-- project: a caller who may not write there is then refused by the table's policy (42501) rather than by a
-- misleading "wrong project" error, and all it can learn is whether an id it already holds points elsewhere.
create function private.check_same_project() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_ref uuid := (to_jsonb(new) ->> tg_argv[1])::uuid;
  v_project uuid;
begin
  if v_ref is null then
    return new;
  end if;
  execute format('select project_id from public.%I where id = $1', tg_argv[0]) into v_project using v_ref;
  if new.project_id is null then
    new.project_id := v_project;
  end if;
  if v_project is null or v_project <> new.project_id then
    raise exception '%.% must point into the same project', tg_table_name, tg_argv[1] using errcode = '23514';
  end if;
  return new;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Outlines. Both outline tables hang from a project and, when they outline one document, from that document too:
-- deleting either removes the outline.

create table public.outlines (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid references public.documents (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  title text not null default 'Outline' check (char_length(btrim(title)) between 1 and 200),
  summary text not null default '' check (char_length(summary) <= 20000),
  structure text not null default 'custom'
    check (structure in ('custom', 'three_act', 'save_the_cat', 'heros_journey', 'story_circle', 'seven_point')),
  source text not null default 'manual' check (source in ('manual', 'generated', 'imported')),
  -- what produced a generated outline, so a writer can regenerate with the same settings
  model text check (model is null or char_length(model) <= 100),
  temperature numeric(3, 2) check (temperature is null or temperature between 0 and 2),
  prompt text check (prompt is null or char_length(prompt) <= 20000),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index outlines_project_id_idx on public.outlines (project_id, position);
create index outlines_document_id_idx on public.outlines (document_id);
create index outlines_user_id_idx on public.outlines (user_id);

create table public.outline_sections (
  id uuid primary key default gen_random_uuid(),
  outline_id uuid not null references public.outlines (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid references public.documents (id) on delete cascade,
  parent_id uuid references public.outline_sections (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  kind text not null default 'chapter' check (kind in ('act', 'part', 'chapter', 'scene', 'beat', 'note')),
  title text not null check (char_length(btrim(title)) between 1 and 200),
  summary text not null default '' check (char_length(summary) <= 20000),
  notes text not null default '' check (char_length(notes) <= 20000),
  status text not null default 'planned' check (status in ('planned', 'drafting', 'drafted', 'revised', 'done')),
  target_word_count integer check (target_word_count is null or target_word_count > 0),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_id is distinct from id)
);
create index outline_sections_outline_id_idx on public.outline_sections (outline_id, parent_id, position);
create index outline_sections_project_id_idx on public.outline_sections (project_id);
create index outline_sections_document_id_idx on public.outline_sections (document_id);
create index outline_sections_parent_id_idx on public.outline_sections (parent_id);
create index outline_sections_user_id_idx on public.outline_sections (user_id);

-- A nested section stays inside its own outline.
create function private.guard_outline_section() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.outline_id <> old.outline_id then
    raise exception 'a section cannot be moved to another outline' using errcode = '42501';
  end if;
  if new.parent_id is not null and not exists (
       select 1 from public.outline_sections where id = new.parent_id and outline_id = new.outline_id) then
    raise exception 'a section''s parent must be in the same outline' using errcode = '23514';
  end if;
  return new;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Story structure: public beat templates (loaded by seed.sql) and each project's beat board.

create function private.beats_valid(p_beats jsonb) returns boolean
language sql immutable
set search_path = ''
as $$
  select jsonb_typeof(p_beats) = 'array' and not exists (
    select 1 from jsonb_array_elements(p_beats) b
     where jsonb_typeof(b) <> 'object'
        or jsonb_typeof(b -> 'name') is distinct from 'string'
        or jsonb_typeof(b -> 'description') is distinct from 'string'
        or jsonb_typeof(b -> 'position') is distinct from 'number'
        or jsonb_typeof(b -> 'percent') is distinct from 'number'
        or (b ->> 'percent')::numeric not between 0 and 100)
$$;

create table public.beat_templates (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null check (char_length(btrim(name)) between 1 and 120),
  description text not null default '',
  -- [{ "name", "description", "position", "percent", "act"? }] in story order
  beats jsonb not null default '[]'::jsonb check (private.beats_valid(beats)),
  is_public boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.story_beats (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  -- the scene or chapter that delivers the beat; the beat outlives the draft of it
  document_id uuid references public.documents (id) on delete set null,
  template_id uuid references public.beat_templates (id) on delete set null,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  description text not null default '' check (char_length(description) <= 20000),
  notes text not null default '' check (char_length(notes) <= 20000),
  act smallint check (act is null or act between 1 and 5),
  percent numeric(5, 2) check (percent is null or percent between 0 and 100),
  status text not null default 'planned' check (status in ('planned', 'drafted', 'revised', 'done')),
  color text check (color is null or color ~ '^#[0-9a-fA-F]{6}$'),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index story_beats_project_id_idx on public.story_beats (project_id, position);
create index story_beats_document_id_idx on public.story_beats (document_id);
create index story_beats_template_id_idx on public.story_beats (template_id);
create index story_beats_user_id_idx on public.story_beats (user_id);

-- ---------------------------------------------------------------------------------------------------------------
-- Plot analysis: one row per run, issue cards per run. Like outlines, a run of one document goes with it.

create table public.plot_analyses (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid references public.documents (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  kind text not null default 'full' check (kind in ('full', 'pacing', 'continuity', 'character', 'structure', 'dialogue')),
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed', 'canceled')),
  model text check (model is null or char_length(model) <= 100),
  summary text not null default '' check (char_length(summary) <= 20000),
  score smallint check (score is null or score between 0 and 100),
  error text,
  started_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index plot_analyses_project_id_idx on public.plot_analyses (project_id, created_at desc);
create index plot_analyses_document_id_idx on public.plot_analyses (document_id);
create index plot_analyses_user_id_idx on public.plot_analyses (user_id);

create table public.plot_issues (
  id uuid primary key default gen_random_uuid(),
  analysis_id uuid not null references public.plot_analyses (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid references public.documents (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  category text not null check (category in ('plot_hole', 'continuity', 'pacing', 'character', 'motivation', 'structure',
                                             'dialogue', 'worldbuilding', 'timeline', 'tone', 'other')),
  status text not null default 'open' check (status in ('open', 'acknowledged', 'resolved', 'dismissed')),
  title text not null check (char_length(btrim(title)) between 1 and 300),
  description text not null default '' check (char_length(description) <= 20000),
  suggestion text not null default '' check (char_length(suggestion) <= 20000),
  excerpt text check (excerpt is null or char_length(excerpt) <= 2000),
  resolved_at timestamptz,
  resolved_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index plot_issues_analysis_id_idx on public.plot_issues (analysis_id);
create index plot_issues_project_id_idx on public.plot_issues (project_id, status);
create index plot_issues_document_id_idx on public.plot_issues (document_id);
create index plot_issues_user_id_idx on public.plot_issues (user_id);
create index plot_issues_resolved_by_idx on public.plot_issues (resolved_by);

-- ---------------------------------------------------------------------------------------------------------------
-- Characters

create table public.characters (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  aliases text[] not null default '{}',
  role text not null default 'supporting'
    check (role in ('protagonist', 'antagonist', 'deuteragonist', 'love_interest', 'mentor', 'supporting', 'minor', 'other')),
  pronouns text check (pronouns is null or char_length(pronouns) <= 40),
  age text check (age is null or char_length(age) <= 40),
  summary text not null default '' check (char_length(summary) <= 2000),
  appearance text not null default '' check (char_length(appearance) <= 20000),
  personality text not null default '' check (char_length(personality) <= 20000),
  backstory text not null default '' check (char_length(backstory) <= 50000),
  motivation text not null default '' check (char_length(motivation) <= 20000),
  goal text not null default '' check (char_length(goal) <= 20000),
  conflict text not null default '' check (char_length(conflict) <= 20000),
  voice text not null default '' check (char_length(voice) <= 20000),
  notes text not null default '' check (char_length(notes) <= 50000),
  traits text[] not null default '{}',
  -- object name in the character-images bucket, always under the uploader's own folder
  image_path text check (image_path is null or image_path ~ '^[0-9a-f-]{36}/[^/]'),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index characters_project_id_idx on public.characters (project_id, position);
create index characters_user_id_idx on public.characters (user_id);

create table public.character_relationships (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  character_id uuid not null references public.characters (id) on delete cascade,
  related_character_id uuid not null references public.characters (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  kind text not null check (kind in ('family', 'romantic', 'friend', 'ally', 'rival', 'enemy', 'mentor', 'colleague',
                                     'acquaintance', 'other')),
  description text not null default '' check (char_length(description) <= 20000),
  is_mutual boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (character_id <> related_character_id),
  unique (character_id, related_character_id, kind)
);
create index character_relationships_project_id_idx on public.character_relationships (project_id);
create index character_relationships_related_character_id_idx on public.character_relationships (related_character_id);
create index character_relationships_user_id_idx on public.character_relationships (user_id);

create table public.character_arcs (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  character_id uuid not null references public.characters (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  arc_type text not null default 'positive' check (arc_type in ('positive', 'negative', 'flat', 'other')),
  title text not null default '' check (char_length(title) <= 200),
  starting_state text not null default '' check (char_length(starting_state) <= 20000),
  ending_state text not null default '' check (char_length(ending_state) <= 20000),
  lie_believed text not null default '' check (char_length(lie_believed) <= 20000),
  truth_learned text not null default '' check (char_length(truth_learned) <= 20000),
  -- [{ "title", "description", "document_id"? }] in story order
  stages jsonb not null default '[]'::jsonb check (jsonb_typeof(stages) = 'array'),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index character_arcs_project_id_idx on public.character_arcs (project_id);
create index character_arcs_character_id_idx on public.character_arcs (character_id, position);
create index character_arcs_user_id_idx on public.character_arcs (user_id);

-- ---------------------------------------------------------------------------------------------------------------
-- World building

create table public.locations (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  parent_id uuid references public.locations (id) on delete set null,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  kind text not null default 'other' check (kind in ('world', 'continent', 'region', 'country', 'city', 'town', 'district',
                                                     'building', 'room', 'landmark', 'wilderness', 'vehicle', 'other')),
  summary text not null default '' check (char_length(summary) <= 2000),
  description text not null default '' check (char_length(description) <= 50000),
  history text not null default '' check (char_length(history) <= 50000),
  sensory_details text not null default '' check (char_length(sensory_details) <= 20000),
  notes text not null default '' check (char_length(notes) <= 50000),
  image_path text check (image_path is null or image_path ~ '^[0-9a-f-]{36}/[^/]'),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_id is distinct from id)
);
create index locations_project_id_idx on public.locations (project_id, position);
create index locations_parent_id_idx on public.locations (parent_id);
create index locations_user_id_idx on public.locations (user_id);

create table public.location_events (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  location_id uuid not null references public.locations (id) on delete cascade,
  -- where in the manuscript it happens; the event stays on the timeline if that draft is deleted
  document_id uuid references public.documents (id) on delete set null,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text not null default '' check (char_length(description) <= 20000),
  -- in-story time as the writer states it ("Year 3, first snow"); sequence orders the timeline
  story_time text check (story_time is null or char_length(story_time) <= 200),
  sequence integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index location_events_project_id_idx on public.location_events (project_id);
create index location_events_location_id_idx on public.location_events (location_id, sequence);
create index location_events_document_id_idx on public.location_events (document_id);
create index location_events_user_id_idx on public.location_events (user_id);

-- ---------------------------------------------------------------------------------------------------------------
-- Triggers

create trigger outlines_touch before update on public.outlines for each row execute function private.touch_updated_at();
create trigger outline_sections_touch before update on public.outline_sections for each row execute function private.touch_updated_at();
create trigger beat_templates_touch before update on public.beat_templates for each row execute function private.touch_updated_at();
create trigger story_beats_touch before update on public.story_beats for each row execute function private.touch_updated_at();
create trigger plot_analyses_touch before update on public.plot_analyses for each row execute function private.touch_updated_at();
create trigger plot_issues_touch before update on public.plot_issues for each row execute function private.touch_updated_at();
create trigger characters_touch before update on public.characters for each row execute function private.touch_updated_at();
create trigger character_relationships_touch before update on public.character_relationships for each row execute function private.touch_updated_at();
create trigger character_arcs_touch before update on public.character_arcs for each row execute function private.touch_updated_at();
create trigger locations_touch before update on public.locations for each row execute function private.touch_updated_at();
create trigger location_events_touch before update on public.location_events for each row execute function private.touch_updated_at();

create trigger outlines_stay before update on public.outlines for each row execute function private.guard_project_row();
create trigger outline_sections_stay before update on public.outline_sections for each row execute function private.guard_project_row();
create trigger story_beats_stay before update on public.story_beats for each row execute function private.guard_project_row();
create trigger plot_analyses_stay before update on public.plot_analyses for each row execute function private.guard_project_row();
create trigger plot_issues_stay before update on public.plot_issues for each row execute function private.guard_project_row();
create trigger characters_stay before update on public.characters for each row execute function private.guard_project_row();
create trigger character_relationships_stay before update on public.character_relationships for each row execute function private.guard_project_row();
create trigger character_arcs_stay before update on public.character_arcs for each row execute function private.guard_project_row();
create trigger locations_stay before update on public.locations for each row execute function private.guard_project_row();
create trigger location_events_stay before update on public.location_events for each row execute function private.guard_project_row();

-- Triggers fire in name order, so the parent that can fill project_id ("a_" prefix) runs before the other checks.
create trigger outlines_document before insert or update on public.outlines
  for each row execute function private.check_same_project('documents', 'document_id');
create trigger outline_sections_a_outline before insert or update on public.outline_sections
  for each row execute function private.check_same_project('outlines', 'outline_id');
create trigger outline_sections_document before insert or update on public.outline_sections
  for each row execute function private.check_same_project('documents', 'document_id');
create trigger outline_sections_parent before insert or update on public.outline_sections
  for each row execute function private.guard_outline_section();
create trigger story_beats_document before insert or update on public.story_beats
  for each row execute function private.check_same_project('documents', 'document_id');
create trigger plot_analyses_document before insert or update on public.plot_analyses
  for each row execute function private.check_same_project('documents', 'document_id');
create trigger plot_issues_a_analysis before insert or update on public.plot_issues
  for each row execute function private.check_same_project('plot_analyses', 'analysis_id');
create trigger plot_issues_document before insert or update on public.plot_issues
  for each row execute function private.check_same_project('documents', 'document_id');
create trigger character_relationships_a_character before insert or update on public.character_relationships
  for each row execute function private.check_same_project('characters', 'character_id');
create trigger character_relationships_related before insert or update on public.character_relationships
  for each row execute function private.check_same_project('characters', 'related_character_id');
create trigger character_arcs_a_character before insert or update on public.character_arcs
  for each row execute function private.check_same_project('characters', 'character_id');
create trigger locations_parent before insert or update on public.locations
  for each row execute function private.check_same_project('locations', 'parent_id');
create trigger location_events_a_location before insert or update on public.location_events
  for each row execute function private.check_same_project('locations', 'location_id');
create trigger location_events_document before insert or update on public.location_events
  for each row execute function private.check_same_project('documents', 'document_id');

-- Resolving an issue records who did it, as comments do.
create function private.stamp_issue_resolution() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status in ('resolved', 'dismissed') and (tg_op = 'INSERT' or old.status not in ('resolved', 'dismissed')) then
    new.resolved_at := now();
    new.resolved_by := (select auth.uid());
  elsif new.status not in ('resolved', 'dismissed') then
    new.resolved_at := null;
    new.resolved_by := null;
  end if;
  return new;
end
$$;
create trigger plot_issues_resolution before insert or update on public.plot_issues
  for each row execute function private.stamp_issue_resolution();

-- ---------------------------------------------------------------------------------------------------------------
-- Row Level Security: DESIGN.md's "read: any member; edit: owner/editor" for every writer-tool table. The policies
-- are generated from one template so no table can drift from the others.

alter table public.beat_templates enable row level security;
create policy "beat templates: readable when signed in" on public.beat_templates for select to authenticated
  using ((select auth.uid()) is not null and is_public);

do $$
declare
  v_table text;
begin
  foreach v_table in array array['outlines', 'outline_sections', 'story_beats', 'plot_analyses', 'plot_issues',
                                 'characters', 'character_relationships', 'character_arcs', 'locations', 'location_events']
  loop
    execute format('alter table public.%I enable row level security', v_table);
    execute format($p$create policy "%s: members read" on public.%I for select to authenticated
      using (private.has_role(project_id, null, 'viewer'))$p$, v_table, v_table);
    -- user_id defaults to the caller; naming someone else as the creator is refused
    execute format($p$create policy "%s: editors create" on public.%I for insert to authenticated
      with check (private.has_role(project_id, null, 'editor') and user_id = (select auth.uid()))$p$, v_table, v_table);
    execute format($p$create policy "%s: editors edit" on public.%I for update to authenticated
      using (private.has_role(project_id, null, 'editor')) with check (private.has_role(project_id, null, 'editor'))$p$,
      v_table, v_table);
    execute format($p$create policy "%s: editors delete" on public.%I for delete to authenticated
      using (private.has_role(project_id, null, 'editor'))$p$, v_table, v_table);
    execute format('revoke all on public.%I from public, anon, authenticated', v_table);
    execute format('grant select, insert, update, delete on public.%I to authenticated', v_table);
    execute format('grant all on public.%I to service_role', v_table);
  end loop;
end
$$;

-- Templates are curated content shipped by seed.sql; no user writes them.
revoke all on public.beat_templates from public, anon, authenticated;
grant select on public.beat_templates to authenticated;
grant all on public.beat_templates to service_role;

-- document_templates.documents drives project creation, so its shape is checked where it is stored.
create function private.template_documents_valid(p_documents jsonb) returns boolean
language plpgsql immutable
set search_path = ''
as $$
declare
  v_doc jsonb;
begin
  if jsonb_typeof(p_documents) is distinct from 'array' then
    return false;
  end if;
  for v_doc in select value from jsonb_array_elements(p_documents) loop
    if jsonb_typeof(v_doc) <> 'object'
       or jsonb_typeof(v_doc -> 'title') is distinct from 'string'
       or coalesce(v_doc ->> 'kind', '') not in ('folder', 'chapter', 'scene', 'screenplay', 'post', 'notes')
       or (v_doc ? 'content' and jsonb_typeof(v_doc -> 'content') not in ('object', 'null'))
       or (v_doc ? 'children' and not private.template_documents_valid(v_doc -> 'children')) then
      return false;
    end if;
  end loop;
  return true;
end
$$;
alter table public.document_templates
  add constraint document_templates_documents_shape check (private.template_documents_valid(documents));
