-- Accounts, projects, the manuscript and collaboration: the tables every other part of Quire hangs from.
-- Row Level Security follows the roles table of DESIGN.md through one membership function, private.has_role.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- Nobody gets anything by default; each table below grants exactly what its policies need.
alter default privileges in schema public revoke all on tables from public, anon, authenticated;
alter default privileges in schema public revoke all on functions from public, anon, authenticated;
alter default privileges in schema public revoke all on sequences from public, anon, authenticated;
alter default privileges in schema public grant all on tables to service_role;
alter default privileges in schema public grant all on sequences to service_role;
alter default privileges in schema public grant execute on functions to service_role;
grant usage on schema public to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------------
-- Plans. The numbers mirror packages/domain/src/tiers.ts (a test keeps the two equal); the database enforces the
-- hard limits so no client can step around them. null means unlimited.

create function private.tier_limit(p_tier text, p_limit text) returns integer
language sql immutable
set search_path = ''
as $$
  select case p_limit
    when 'projects' then case p_tier when 'free' then 3 when 'pro' then 50 else null end
    when 'collaborators' then case p_tier when 'free' then 2 when 'pro' then 10 else 50 end
    when 'version_retention_days' then case p_tier when 'free' then 30 when 'pro' then 365 else null end
    when 'ai_words_per_month' then case p_tier when 'free' then 5000 when 'pro' then 200000 else 1000000 end
    when 'exports_per_month' then case p_tier when 'free' then 5 when 'pro' then 100 else null end
  end
$$;

create function private.role_rank(p_role text) returns integer
language sql immutable
set search_path = ''
as $$
  select case p_role when 'owner' then 4 when 'editor' then 3 when 'commenter' then 2 when 'viewer' then 1 else 0 end
$$;

create function private.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Accounts

create table public.user_profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text,
  display_name text not null default '' check (char_length(display_name) <= 80),
  avatar_url text,
  subscription_tier text not null default 'free' check (subscription_tier in ('free', 'pro', 'team')),
  subscription_status text not null default 'active'
    check (subscription_status in ('active', 'trialing', 'past_due', 'canceled', 'incomplete', 'unpaid')),
  stripe_customer_id text unique,
  stripe_subscription_id text unique,
  stripe_price_id text,
  current_period_end timestamptz,
  ai_words_used_this_month integer not null default 0 check (ai_words_used_this_month >= 0),
  ai_words_reset_at timestamptz not null default date_trunc('month', now()),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------------------------
-- Templates (public, read-only for users; loaded by supabase/seed.sql)

create table public.document_templates (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  name text not null,
  kind text not null check (kind in ('novel', 'screenplay', 'blog_post')),
  description text not null default '',
  -- [{ "title", "kind", "children": [...], "content": ProseMirror JSON }] in order
  documents jsonb not null default '[]'::jsonb check (jsonb_typeof(documents) = 'array'),
  is_public boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------------------------
-- Projects and the manuscript

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  template_id uuid references public.document_templates (id) on delete set null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text not null default '' check (char_length(description) <= 2000),
  kind text not null default 'novel' check (kind in ('novel', 'screenplay', 'blog_post')),
  word_count_goal integer check (word_count_goal is null or word_count_goal > 0),
  last_activity_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index projects_user_id_idx on public.projects (user_id);
create index projects_template_id_idx on public.projects (template_id);

create table public.project_members (
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'editor', 'commenter', 'viewer')),
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (project_id, user_id)
);
create index project_members_user_id_idx on public.project_members (user_id);
create index project_members_invited_by_idx on public.project_members (invited_by);

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  parent_id uuid references public.documents (id) on delete cascade,
  kind text not null default 'chapter' check (kind in ('folder', 'chapter', 'scene', 'screenplay', 'post', 'notes')),
  title text not null default 'Untitled' check (char_length(title) <= 200),
  position integer not null default 0,
  content jsonb,
  plain_text text not null default '',
  word_count integer not null default 0 check (word_count >= 0),
  yjs_state bytea,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_id is distinct from id)
);
create index documents_project_id_idx on public.documents (project_id, parent_id, position);
create index documents_user_id_idx on public.documents (user_id);
create index documents_parent_id_idx on public.documents (parent_id);

-- The durable tail of live edits: appended within milliseconds of an update, folded into documents.yjs_state and
-- deleted when the collab server stores the document.
create table public.document_updates (
  id bigint generated always as identity primary key,
  document_id uuid not null references public.documents (id) on delete cascade,
  update bytea not null,
  created_at timestamptz not null default now()
);
create index document_updates_document_id_idx on public.document_updates (document_id, id);

create table public.document_versions (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references public.documents (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  label text check (label is null or char_length(label) <= 120),
  reason text not null default 'manual' check (reason in ('idle', 'interval', 'manual', 'restore', 'import')),
  yjs_state bytea,
  content jsonb,
  plain_text text not null default '',
  word_count integer not null default 0 check (word_count >= 0),
  created_at timestamptz not null default now()
);
create index document_versions_document_id_idx on public.document_versions (document_id, created_at desc);
create index document_versions_project_id_idx on public.document_versions (project_id);
create index document_versions_user_id_idx on public.document_versions (user_id);

create table public.document_collaborators (
  document_id uuid not null references public.documents (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('editor', 'commenter', 'viewer')),
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (document_id, user_id)
);
create index document_collaborators_user_id_idx on public.document_collaborators (user_id);
create index document_collaborators_invited_by_idx on public.document_collaborators (invited_by);

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  email text not null check (email = lower(btrim(email)) and email like '%_@_%'),
  role text not null check (role in ('editor', 'commenter', 'viewer')),
  -- sha256 of the secret in the link; the secret itself is never stored
  token_hash text not null unique,
  invited_by uuid references auth.users (id) on delete set null,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'revoked')),
  accepted_by uuid references auth.users (id) on delete set null,
  accepted_at timestamptz,
  expires_at timestamptz not null default now() + interval '14 days',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index invitations_project_id_idx on public.invitations (project_id, status);
create index invitations_invited_by_idx on public.invitations (invited_by);
create index invitations_accepted_by_idx on public.invitations (accepted_by);
create unique index invitations_one_pending_per_email on public.invitations (project_id, email) where status = 'pending';

create table public.comments (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid not null references public.documents (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  parent_id uuid references public.comments (id) on delete cascade,
  body text not null check (char_length(btrim(body)) between 1 and 10000),
  -- Yjs relative positions (base64 of Y.encodeRelativePosition) so the anchor follows its text
  anchor jsonb check (anchor is null or (jsonb_typeof(anchor) = 'object' and anchor ? 'from' and anchor ? 'to')),
  quote text check (quote is null or char_length(quote) <= 2000),
  resolved_at timestamptz,
  resolved_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_id is distinct from id)
);
create index comments_document_id_idx on public.comments (document_id, created_at);
create index comments_project_id_idx on public.comments (project_id);
create index comments_user_id_idx on public.comments (user_id);
create index comments_parent_id_idx on public.comments (parent_id);
create index comments_resolved_by_idx on public.comments (resolved_by);

-- ---------------------------------------------------------------------------------------------------------------
-- The one membership check. SECURITY DEFINER so policies on project_members never recurse; search_path is empty so
-- nothing a caller creates can shadow the tables it reads. False whenever there is no signed-in user.

create function private.has_role(p_project_id uuid, p_document_id uuid, p_min_role text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select (select auth.uid()) is not null and coalesce((
    select max(private.role_rank(r.role)) from (
      select pm.role from public.project_members pm
       where pm.project_id = p_project_id and pm.user_id = (select auth.uid())
      union all
      select dc.role from public.document_collaborators dc
       where p_document_id is not null and dc.document_id = p_document_id and dc.user_id = (select auth.uid())
      union all
      -- someone shared one document with sees the project it belongs to, nothing more
      select 'viewer' from public.document_collaborators dc join public.documents d on d.id = dc.document_id
       where p_document_id is null and p_min_role = 'viewer' and d.project_id = p_project_id and dc.user_id = (select auth.uid())
    ) r
  ), 0) >= private.role_rank(p_min_role)
$$;
revoke all on function private.has_role(uuid, uuid, text) from public;
grant execute on function private.has_role(uuid, uuid, text) to authenticated, service_role;
grant execute on function private.role_rank(text), private.tier_limit(text, text) to authenticated, service_role;

create function private.owner_tier(p_project_id uuid) returns text
language sql stable security definer
set search_path = ''
as $$
  select coalesce(up.subscription_tier, 'free')
    from public.projects p left join public.user_profiles up on up.id = p.user_id
   where p.id = p_project_id
$$;
revoke all on function private.owner_tier(uuid) from public;
grant execute on function private.owner_tier(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------------
-- Triggers

create trigger user_profiles_touch before update on public.user_profiles for each row execute function private.touch_updated_at();
create trigger document_templates_touch before update on public.document_templates for each row execute function private.touch_updated_at();
create trigger projects_touch before update on public.projects for each row execute function private.touch_updated_at();
create trigger project_members_touch before update on public.project_members for each row execute function private.touch_updated_at();
create trigger documents_touch before update on public.documents for each row execute function private.touch_updated_at();
create trigger document_collaborators_touch before update on public.document_collaborators for each row execute function private.touch_updated_at();
create trigger invitations_touch before update on public.invitations for each row execute function private.touch_updated_at();
create trigger comments_touch before update on public.comments for each row execute function private.touch_updated_at();

-- Every new account gets its profile.
create function private.create_profile_for_new_user() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.user_profiles (id, email, display_name)
  values (
    new.id,
    new.email,
    left(coalesce(nullif(new.raw_user_meta_data ->> 'display_name', ''), nullif(new.raw_user_meta_data ->> 'full_name', ''),
                  split_part(coalesce(new.email, ''), '@', 1)), 80)
  )
  on conflict (id) do nothing;
  return new;
end
$$;
create trigger on_auth_user_created after insert on auth.users for each row execute function private.create_profile_for_new_user();

create function private.sync_profile_email() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update public.user_profiles set email = new.email where id = new.id and email is distinct from new.email;
  return new;
end
$$;
create trigger on_auth_user_email_changed after update of email on auth.users for each row execute function private.sync_profile_email();

-- Users may change how they appear, never their plan or counters (billing webhooks do that as service_role).
create function private.guard_profile_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user = 'authenticated' and (
       new.id <> old.id or new.email is distinct from old.email
    or new.subscription_tier <> old.subscription_tier or new.subscription_status <> old.subscription_status
    or new.stripe_customer_id is distinct from old.stripe_customer_id or new.stripe_subscription_id is distinct from old.stripe_subscription_id
    or new.stripe_price_id is distinct from old.stripe_price_id or new.current_period_end is distinct from old.current_period_end
    or new.ai_words_used_this_month <> old.ai_words_used_this_month or new.ai_words_reset_at <> old.ai_words_reset_at) then
    raise exception 'only your name and picture can be changed here' using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger user_profiles_guard before update on public.user_profiles for each row execute function private.guard_profile_update();

-- The projects limit of the creator's plan; the creator becomes the project's owner member.
create function private.check_project_limit() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_tier text;
  v_limit integer;
  v_count integer;
begin
  select coalesce((select subscription_tier from public.user_profiles where id = new.user_id), 'free') into v_tier;
  v_limit := private.tier_limit(v_tier, 'projects');
  if v_limit is not null then
    select count(*) into v_count from public.projects where user_id = new.user_id;
    if v_count >= v_limit then
      raise exception 'The % plan allows % projects. Delete one or upgrade to create more.', v_tier, v_limit
        using errcode = 'P0001', hint = 'quota:projects';
    end if;
  end if;
  return new;
end
$$;
create trigger projects_limit before insert on public.projects for each row execute function private.check_project_limit();

create function private.add_project_owner() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.project_members (project_id, user_id, role) values (new.id, new.user_id, 'owner')
  on conflict (project_id, user_id) do update set role = 'owner';
  return new;
end
$$;
create trigger projects_add_owner after insert on public.projects for each row execute function private.add_project_owner();

create function private.guard_project_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.id <> old.id or new.user_id <> old.user_id or new.created_at <> old.created_at then
    raise exception 'a project''s identity and owner cannot be changed this way' using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger projects_guard before update on public.projects for each row execute function private.guard_project_update();

-- A project always keeps an owner; the collaborators limit follows the owner's plan.
create function private.guard_project_members() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_limit integer;
  v_tier text;
  v_count integer;
begin
  if tg_op = 'UPDATE' and (new.project_id <> old.project_id or new.user_id <> old.user_id) then
    raise exception 'a membership cannot be moved' using errcode = '42501';
  end if;
  if tg_op in ('UPDATE', 'DELETE') and old.role = 'owner' and (tg_op = 'DELETE' or new.role <> 'owner')
     and exists (select 1 from public.projects where id = old.project_id)
     and exists (select 1 from auth.users where id = old.user_id)
     and not exists (select 1 from public.project_members
                      where project_id = old.project_id and role = 'owner' and user_id <> old.user_id) then
    raise exception 'A project needs an owner: make someone else owner first.' using errcode = 'P0001', hint = 'last_owner';
  end if;
  if tg_op = 'INSERT' and new.role <> 'owner' then
    v_tier := private.owner_tier(new.project_id);
    v_limit := private.tier_limit(v_tier, 'collaborators');
    select count(*) into v_count from public.project_members where project_id = new.project_id and role <> 'owner';
    if v_limit is not null and v_count >= v_limit then
      raise exception 'The % plan allows % collaborators per project. Upgrade to add more.', v_tier, v_limit
        using errcode = 'P0001', hint = 'quota:collaborators';
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;
create trigger project_members_guard before insert or update or delete on public.project_members
  for each row execute function private.guard_project_members();

create function private.check_invitation_limit() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_tier text := private.owner_tier(new.project_id);
  v_limit integer := private.tier_limit(v_tier, 'collaborators');
  v_count integer;
begin
  select (select count(*) from public.project_members where project_id = new.project_id and role <> 'owner')
       + (select count(*) from public.invitations
           where project_id = new.project_id and status = 'pending' and expires_at > now() and id <> new.id)
    into v_count;
  if v_limit is not null and v_count >= v_limit then
    raise exception 'The % plan allows % collaborators per project, and this project has reached it. Upgrade to invite more.', v_tier, v_limit
      using errcode = 'P0001', hint = 'quota:collaborators';
  end if;
  return new;
end
$$;
create trigger invitations_limit before insert on public.invitations for each row execute function private.check_invitation_limit();

-- Documents stay in their project, and their parent is in the same project.
create function private.guard_document() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.project_id <> old.project_id then
    raise exception 'a document cannot be moved to another project' using errcode = '42501';
  end if;
  if new.parent_id is not null and not exists (
       select 1 from public.documents where id = new.parent_id and project_id = new.project_id) then
    raise exception 'a document''s parent must be in the same project' using errcode = '23514';
  end if;
  return new;
end
$$;
create trigger documents_guard before insert or update on public.documents for each row execute function private.guard_document();

create function private.touch_project_activity() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update public.projects set last_activity_at = now()
   where id = coalesce(new.project_id, old.project_id) and last_activity_at < now() - interval '10 seconds';
  return null;
end
$$;
create trigger documents_activity after insert or update or delete on public.documents
  for each row execute function private.touch_project_activity();

-- Versions are history: they carry their document's project and are never edited.
create function private.guard_document_version() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    raise exception 'a stored version cannot be changed' using errcode = '42501';
  end if;
  if not exists (select 1 from public.documents where id = new.document_id and project_id = new.project_id) then
    raise exception 'a version belongs to its document''s project' using errcode = '23514';
  end if;
  return new;
end
$$;
create trigger document_versions_guard before insert or update on public.document_versions
  for each row execute function private.guard_document_version();

-- Retention: versions older than the owner's plan keeps are pruned whenever a new one is written.
create function private.prune_document_versions() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_days integer := private.tier_limit(private.owner_tier(new.project_id), 'version_retention_days');
begin
  if v_days is not null then
    delete from public.document_versions
     where document_id = new.document_id and created_at < now() - make_interval(days => v_days);
  end if;
  return null;
end
$$;
create trigger document_versions_retention after insert on public.document_versions
  for each row execute function private.prune_document_versions();

-- Comments stay on their document; only the author rewrites a body; resolving is recorded with who resolved.
create function private.guard_comment() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and (new.project_id <> old.project_id or new.document_id <> old.document_id
       or new.user_id <> old.user_id or new.parent_id is distinct from old.parent_id or new.created_at <> old.created_at) then
    raise exception 'a comment cannot be moved or reassigned' using errcode = '42501';
  end if;
  if tg_op = 'UPDATE' and current_user = 'authenticated' and new.user_id <> (select auth.uid())
     and (new.body <> old.body or new.anchor is distinct from old.anchor or new.quote is distinct from old.quote) then
    raise exception 'only the author can edit a comment' using errcode = '42501';
  end if;
  if not exists (select 1 from public.documents where id = new.document_id and project_id = new.project_id) then
    raise exception 'a comment belongs to its document''s project' using errcode = '23514';
  end if;
  if new.parent_id is not null and not exists (
       select 1 from public.comments where id = new.parent_id and document_id = new.document_id and parent_id is null) then
    raise exception 'a reply must answer a thread on the same document' using errcode = '23514';
  end if;
  if new.resolved_at is not null and (old is null or old.resolved_at is null) then
    new.resolved_by := (select auth.uid());
  elsif new.resolved_at is null then
    new.resolved_by := null;
  end if;
  return new;
end
$$;
create trigger comments_guard before insert or update on public.comments for each row execute function private.guard_comment();

create function private.guard_document_collaborator() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and (new.document_id <> old.document_id or new.user_id <> old.user_id) then
    raise exception 'a share cannot be moved' using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger document_collaborators_guard before update on public.document_collaborators
  for each row execute function private.guard_document_collaborator();

-- ---------------------------------------------------------------------------------------------------------------
-- Invitations are accepted by the invited address only; this is the one way into a project one does not own.

create function public.accept_invitation(p_token_hash text) returns uuid
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_email text;
  v_invitation public.invitations;
begin
  if v_uid is null then
    raise exception 'Sign in to accept this invitation.' using errcode = '42501';
  end if;
  select lower(email) into v_email from auth.users where id = v_uid;
  select * into v_invitation from public.invitations where token_hash = p_token_hash for update;
  if not found or v_invitation.status = 'revoked' then
    raise exception 'This invitation link is not valid. Ask the project owner for a new one.' using errcode = 'P0002', hint = 'invitation:invalid';
  end if;
  if v_invitation.status = 'accepted' then
    if v_invitation.accepted_by = v_uid then
      return v_invitation.project_id;
    end if;
    raise exception 'This invitation has already been used.' using errcode = 'P0001', hint = 'invitation:used';
  end if;
  if v_invitation.expires_at <= now() then
    raise exception 'This invitation has expired. Ask the project owner for a new one.' using errcode = 'P0001', hint = 'invitation:expired';
  end if;
  if v_email is distinct from v_invitation.email then
    raise exception 'This invitation was sent to %. Sign in with that address to accept it.', v_invitation.email
      using errcode = '42501', hint = 'invitation:wrong_email';
  end if;
  -- the pending invitation already holds a collaborator seat, so it must not count against itself
  update public.invitations set status = 'accepted', accepted_by = v_uid, accepted_at = now() where id = v_invitation.id;
  insert into public.project_members (project_id, user_id, role, invited_by)
  values (v_invitation.project_id, v_uid, v_invitation.role, v_invitation.invited_by)
  on conflict (project_id, user_id) do update
    set role = case when public.project_members.role = 'owner' then 'owner' else excluded.role end;
  return v_invitation.project_id;
end
$$;
revoke all on function public.accept_invitation(text) from public, anon;
grant execute on function public.accept_invitation(text) to authenticated;

-- ---------------------------------------------------------------------------------------------------------------
-- Row Level Security

alter table public.user_profiles enable row level security;
alter table public.document_templates enable row level security;
alter table public.projects enable row level security;
alter table public.project_members enable row level security;
alter table public.documents enable row level security;
alter table public.document_updates enable row level security;
alter table public.document_versions enable row level security;
alter table public.document_collaborators enable row level security;
alter table public.invitations enable row level security;
alter table public.comments enable row level security;

-- Profiles: your own, and those of people you share a project with (names on carets, members and comments).
create policy "profiles: own and co-members" on public.user_profiles for select to authenticated
  using (id = (select auth.uid()) or exists (
    select 1 from public.project_members mine join public.project_members theirs on theirs.project_id = mine.project_id
     where mine.user_id = (select auth.uid()) and theirs.user_id = user_profiles.id));
create policy "profiles: update own" on public.user_profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

create policy "templates: readable when signed in" on public.document_templates for select to authenticated
  using ((select auth.uid()) is not null and is_public);

create policy "projects: members read" on public.projects for select to authenticated
  using (private.has_role(id, null, 'viewer'));
create policy "projects: create your own" on public.projects for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "projects: editors rename" on public.projects for update to authenticated
  using (private.has_role(id, null, 'editor')) with check (private.has_role(id, null, 'editor'));
create policy "projects: owners delete" on public.projects for delete to authenticated
  using (private.has_role(id, null, 'owner'));

create policy "members: members read" on public.project_members for select to authenticated
  using (private.has_role(project_id, null, 'viewer'));
create policy "members: owners add" on public.project_members for insert to authenticated
  with check (private.has_role(project_id, null, 'owner'));
create policy "members: owners change roles" on public.project_members for update to authenticated
  using (private.has_role(project_id, null, 'owner')) with check (private.has_role(project_id, null, 'owner'));
create policy "members: owners remove, anyone leaves" on public.project_members for delete to authenticated
  using (private.has_role(project_id, null, 'owner') or user_id = (select auth.uid()));

create policy "documents: readers read" on public.documents for select to authenticated
  using (private.has_role(project_id, id, 'viewer'));
create policy "documents: editors create" on public.documents for insert to authenticated
  with check (private.has_role(project_id, null, 'editor'));
create policy "documents: editors edit" on public.documents for update to authenticated
  using (private.has_role(project_id, id, 'editor')) with check (private.has_role(project_id, id, 'editor'));
create policy "documents: editors delete" on public.documents for delete to authenticated
  using (private.has_role(project_id, null, 'editor'));

create policy "updates: readers read" on public.document_updates for select to authenticated
  using (exists (select 1 from public.documents d where d.id = document_id and private.has_role(d.project_id, d.id, 'viewer')));
create policy "updates: editors append" on public.document_updates for insert to authenticated
  with check (exists (select 1 from public.documents d where d.id = document_id and private.has_role(d.project_id, d.id, 'editor')));

create policy "versions: readers read" on public.document_versions for select to authenticated
  using (private.has_role(project_id, document_id, 'viewer'));
create policy "versions: editors snapshot" on public.document_versions for insert to authenticated
  with check (private.has_role(project_id, document_id, 'editor') and user_id = (select auth.uid()));

create policy "shares: owner and the person shared with read" on public.document_collaborators for select to authenticated
  using (user_id = (select auth.uid())
     or exists (select 1 from public.documents d where d.id = document_id and private.has_role(d.project_id, null, 'owner')));
create policy "shares: owners share" on public.document_collaborators for insert to authenticated
  with check (exists (select 1 from public.documents d where d.id = document_id and private.has_role(d.project_id, null, 'owner')));
create policy "shares: owners change" on public.document_collaborators for update to authenticated
  using (exists (select 1 from public.documents d where d.id = document_id and private.has_role(d.project_id, null, 'owner')))
  with check (exists (select 1 from public.documents d where d.id = document_id and private.has_role(d.project_id, null, 'owner')));
create policy "shares: owners revoke, anyone leaves" on public.document_collaborators for delete to authenticated
  using (user_id = (select auth.uid())
     or exists (select 1 from public.documents d where d.id = document_id and private.has_role(d.project_id, null, 'owner')));

create policy "invitations: owners read" on public.invitations for select to authenticated
  using (private.has_role(project_id, null, 'owner'));
create policy "invitations: owners invite" on public.invitations for insert to authenticated
  with check (private.has_role(project_id, null, 'owner') and invited_by = (select auth.uid()) and status = 'pending');
create policy "invitations: owners revoke" on public.invitations for update to authenticated
  using (private.has_role(project_id, null, 'owner')) with check (private.has_role(project_id, null, 'owner'));
create policy "invitations: owners delete" on public.invitations for delete to authenticated
  using (private.has_role(project_id, null, 'owner'));

create policy "comments: readers read" on public.comments for select to authenticated
  using (private.has_role(project_id, document_id, 'viewer'));
create policy "comments: commenters write as themselves" on public.comments for insert to authenticated
  with check (user_id = (select auth.uid()) and private.has_role(project_id, document_id, 'commenter'));
create policy "comments: authors edit, editors resolve" on public.comments for update to authenticated
  using ((user_id = (select auth.uid()) and private.has_role(project_id, document_id, 'commenter'))
      or private.has_role(project_id, document_id, 'editor'))
  with check ((user_id = (select auth.uid()) and private.has_role(project_id, document_id, 'commenter'))
      or private.has_role(project_id, document_id, 'editor'));
create policy "comments: authors and editors delete" on public.comments for delete to authenticated
  using ((user_id = (select auth.uid()) and private.has_role(project_id, document_id, 'commenter'))
      or private.has_role(project_id, document_id, 'editor'));

-- Grants: only what the policies above can use.
revoke all on all tables in schema public from anon, authenticated;
grant select, update (display_name, avatar_url, updated_at) on public.user_profiles to authenticated;
grant select on public.document_templates to authenticated;
grant select, insert, update, delete on public.projects, public.project_members, public.documents,
  public.document_collaborators, public.invitations, public.comments to authenticated;
grant select, insert on public.document_updates, public.document_versions to authenticated;
grant all on all tables in schema public to service_role;
grant all on all sequences in schema public to service_role;
grant usage on schema private to service_role;

-- Live changes reach the collab server: membership and shares for revocation, comments for the sidebar.
create function private.notify_change() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_row record := coalesce(new, old);
  v_payload jsonb;
begin
  if tg_table_name = 'project_members' then
    v_payload := jsonb_build_object('project_id', v_row.project_id, 'user_id', v_row.user_id);
  elsif tg_table_name = 'document_collaborators' then
    v_payload := jsonb_build_object('document_id', v_row.document_id, 'user_id', v_row.user_id);
  elsif tg_table_name = 'comments' then
    v_payload := jsonb_build_object('document_id', v_row.document_id, 'comment_id', v_row.id);
  else
    v_payload := jsonb_build_object('project_id', v_row.project_id, 'document_id', v_row.id);
  end if;
  perform pg_notify('quire_changes', (v_payload || jsonb_build_object('table', tg_table_name, 'op', lower(tg_op)))::text);
  return null;
end
$$;
create trigger project_members_notify after insert or update or delete on public.project_members
  for each row execute function private.notify_change();
create trigger document_collaborators_notify after insert or update or delete on public.document_collaborators
  for each row execute function private.notify_change();
create trigger comments_notify after insert or update or delete on public.comments
  for each row execute function private.notify_change();
create trigger documents_notify after delete on public.documents
  for each row execute function private.notify_change();
