-- Exports and imports as background jobs (issue 14): what the worker needs to report progress, what the screens need
-- to show history live, the owner's switch for viewers, and an import queue.
--
-- export_jobs.storage_url keeps the object's path inside the private `exports` bucket (`<project_id>/<job_id>/<file>`),
-- never a URL: a download link is signed on demand and expires, so a link copied out of the history stops working.

-- ---------------------------------------------------------------------------------------------------------------
-- The owner decides whether viewers may export. Commenters and up may always export what they can read.

create table public.export_settings (
  project_id uuid primary key references public.projects (id) on delete cascade,
  viewers_may_export boolean not null default true,
  updated_by uuid default auth.uid() references auth.users (id) on delete set null,
  updated_at timestamptz not null default now()
);
create index export_settings_updated_by_idx on public.export_settings (updated_by);
create trigger export_settings_touch before update on public.export_settings for each row execute function private.touch_updated_at();

alter table public.export_settings enable row level security;
create policy "export settings: members read" on public.export_settings for select to authenticated
  using (private.has_role(project_id, null, 'viewer'));
create policy "export settings: owners write" on public.export_settings for insert to authenticated
  with check (private.has_role(project_id, null, 'owner'));
create policy "export settings: owners change" on public.export_settings for update to authenticated
  using (private.has_role(project_id, null, 'owner')) with check (private.has_role(project_id, null, 'owner'));
grant select, insert, update on public.export_settings to authenticated;
grant all on public.export_settings to service_role;

-- ---------------------------------------------------------------------------------------------------------------
-- Export jobs: a selection of documents, progress, size, when the file goes away.

alter table public.export_jobs
  add column document_ids uuid[] not null default '{}' check (cardinality(document_ids) <= 1000),
  add column progress integer not null default 0 check (progress between 0 and 100),
  add column size_bytes bigint check (size_bytes is null or size_bytes >= 0),
  add column filename text check (filename is null or char_length(filename) between 1 and 255),
  add column expires_at timestamptz;
create index export_jobs_expires_idx on public.export_jobs (expires_at) where storage_url is not null;

-- May the caller export these documents (or, with none named, the whole project)? Reading each is required; a
-- viewer (project member or someone a document was shared with) also needs the owner's switch on.
create function private.may_export(p_project_id uuid, p_document_id uuid, p_document_ids uuid[]) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_docs uuid[] := array(select distinct unnest(coalesce(p_document_ids, '{}') || case when p_document_id is null then '{}'::uuid[] else array[p_document_id] end));
  v_viewers boolean := coalesce((select viewers_may_export from public.export_settings where project_id = p_project_id), true);
  v_doc uuid;
begin
  if (select auth.uid()) is null then
    return false;
  end if;
  if cardinality(v_docs) = 0 then
    -- the whole project: only its members (a per-document share does not reach the rest of the manuscript)
    return exists (select 1 from public.project_members where project_id = p_project_id and user_id = (select auth.uid()))
       and (private.has_role(p_project_id, null, 'commenter') or v_viewers);
  end if;
  foreach v_doc in array v_docs loop
    if not exists (select 1 from public.documents where id = v_doc and project_id = p_project_id)
       or not private.has_role(p_project_id, v_doc, 'viewer')
       or not (private.has_role(p_project_id, v_doc, 'commenter') or v_viewers) then
      return false;
    end if;
  end loop;
  return true;
end
$$;
revoke all on function private.may_export(uuid, uuid, uuid[]) from public;
grant execute on function private.may_export(uuid, uuid, uuid[]) to authenticated, service_role;

-- Replaces the editors-only rule of 20261103000000: anyone who may read a document may export it (issue 14, item 5).
drop policy "exports: editors queue" on public.export_jobs;
create policy "exports: readers queue" on public.export_jobs for insert to authenticated
  with check (private.may_export(project_id, document_id, document_ids)
              and user_id = (select auth.uid()) and status = 'queued' and storage_url is null and attempts = 0
              and progress = 0 and size_bytes is null and expires_at is null);

-- Someone a document was shared with is no project member, yet may export that document; they see their own
-- exports of what they can still read (members see the project's whole history, as before).
create policy "exports: requesters read their own" on public.export_jobs for select to authenticated
  using (user_id = (select auth.uid())
         and (document_id is null or private.has_role(project_id, document_id, 'viewer'))
         and not exists (select 1 from unnest(document_ids) as d(id) where not private.has_role(project_id, d.id, 'viewer')));

-- Cancelling is the only change a person makes to a job: the requester or an owner, while it is still waiting or running.
create policy "exports: requester or owner cancels" on public.export_jobs for update to authenticated
  using (status in ('queued', 'running')
         and ((user_id = (select auth.uid()) and private.has_role(project_id, null, 'viewer'))
              or private.has_role(project_id, null, 'owner')))
  with check (status = 'canceled');
grant update (status) on public.export_jobs to authenticated;

-- ---------------------------------------------------------------------------------------------------------------
-- Import jobs. The uploaded file waits in import_sources until the job ends (then it is deleted); the job and its
-- bytes are inserted in one transaction, so there is never a job without its file. The bytes live in their own table
-- so that progress updates (and their live notifications, which serialise the row) never touch them.

create table public.import_jobs (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  parent_id uuid references public.documents (id) on delete set null,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  filename text not null check (char_length(filename) between 1 and 255),
  format text not null check (format in ('docx', 'markdown', 'fountain', 'fdx', 'txt')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'canceled')),
  progress integer not null default 0 check (progress between 0 and 100),
  size_bytes bigint not null check (size_bytes between 0 and 20971520),
  document_ids uuid[] not null default '{}',
  report jsonb not null default '{}'::jsonb check (jsonb_typeof(report) = 'object'),
  error text check (error is null or char_length(error) <= 4000),
  attempts integer not null default 0 check (attempts >= 0),
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index import_jobs_project_id_idx on public.import_jobs (project_id, created_at desc);
create index import_jobs_parent_id_idx on public.import_jobs (parent_id);
create index import_jobs_user_id_idx on public.import_jobs (user_id);

create trigger import_jobs_touch before update on public.import_jobs for each row execute function private.touch_updated_at();
create trigger import_jobs_stay before update on public.import_jobs for each row execute function private.guard_project_row();
create trigger import_jobs_parent before insert or update on public.import_jobs
  for each row execute function private.check_same_project('documents', 'parent_id');

alter table public.import_jobs enable row level security;
create policy "imports: members read" on public.import_jobs for select to authenticated
  using (private.has_role(project_id, null, 'viewer'));
-- An import adds documents, so it takes the right to add documents.
create policy "imports: editors queue" on public.import_jobs for insert to authenticated
  with check (private.has_role(project_id, null, 'editor') and user_id = (select auth.uid())
              and status = 'queued' and attempts = 0 and progress = 0 and cardinality(document_ids) = 0);
create policy "imports: requester or owner cancels" on public.import_jobs for update to authenticated
  using (status = 'queued' and (user_id = (select auth.uid()) or private.has_role(project_id, null, 'owner')))
  with check (status = 'canceled');
grant select, insert on public.import_jobs to authenticated;
grant update (status) on public.import_jobs to authenticated;
grant all on public.import_jobs to service_role;

create table public.import_sources (
  job_id uuid primary key references public.import_jobs (id) on delete cascade,
  bytes bytea not null check (octet_length(bytes) <= 20971520),
  created_at timestamptz not null default now()
);
alter table public.import_sources enable row level security;
-- The requester hands the file over with the job; only they (and the worker, as service_role) can read it back.
create policy "import sources: requester uploads" on public.import_sources for insert to authenticated
  with check (exists (select 1 from public.import_jobs j
                       where j.id = job_id and j.user_id = (select auth.uid()) and j.status = 'queued'
                         and private.has_role(j.project_id, null, 'editor')));
create policy "import sources: requester reads" on public.import_sources for select to authenticated
  using (exists (select 1 from public.import_jobs j where j.id = job_id and j.user_id = (select auth.uid())));
grant select, insert on public.import_sources to authenticated;
grant all on public.import_sources to service_role;

-- ---------------------------------------------------------------------------------------------------------------
-- Live: the export history and import list update on every open screen of the project (docs/architecture.md).

create trigger export_jobs_live after insert or update or delete on public.export_jobs
  for each row execute function private.notify_live();
create trigger import_jobs_live after insert or update or delete on public.import_jobs
  for each row execute function private.notify_live();
create trigger export_settings_live after insert or update or delete on public.export_settings
  for each row execute function private.notify_live();
