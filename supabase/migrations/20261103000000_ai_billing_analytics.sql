-- AI logs, billing and usage, exports and analytics: the roadmap gaps of the Phase 0 baseline.
--
-- Most of these are per-user records that people may read but not write. Their writers are the server (after it has
-- called the model, processed a Stripe webhook or closed an editing session) and the jobs, all as service_role: a
-- user who could write their own usage, ledger or subscription rows could also under-report them, and those rows
-- decide what their plan lets them do.

-- ---------------------------------------------------------------------------------------------------------------
-- AI

create table public.ai_usage (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  project_id uuid references public.projects (id) on delete set null,
  document_id uuid references public.documents (id) on delete set null,
  feature text not null check (feature in ('continue', 'rewrite', 'expand', 'summarize', 'brainstorm', 'outline',
                                           'plot_analysis', 'character', 'dialogue', 'chat', 'other')),
  model text not null check (char_length(model) between 1 and 100),
  prompt_tokens integer not null default 0 check (prompt_tokens >= 0),
  completion_tokens integer not null default 0 check (completion_tokens >= 0),
  words integer not null default 0 check (words >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  prompt_preview text check (prompt_preview is null or char_length(prompt_preview) <= 500),
  created_at timestamptz not null default now()
);
create index ai_usage_user_id_idx on public.ai_usage (user_id, created_at desc);
create index ai_usage_project_id_idx on public.ai_usage (project_id);
create index ai_usage_document_id_idx on public.ai_usage (document_id);

create table public.ai_requests (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  project_id uuid references public.projects (id) on delete set null,
  document_id uuid references public.documents (id) on delete set null,
  usage_id uuid references public.ai_usage (id) on delete set null,
  feature text not null check (feature in ('continue', 'rewrite', 'expand', 'summarize', 'brainstorm', 'outline',
                                           'plot_analysis', 'character', 'dialogue', 'chat', 'other')),
  model text not null check (char_length(model) between 1 and 100),
  status text not null default 'pending'
    check (status in ('pending', 'succeeded', 'failed', 'canceled', 'rate_limited', 'timeout')),
  prompt text not null default '' check (char_length(prompt) <= 100000),
  -- hashes let identical requests be answered from cache and repeated failures be spotted without keeping responses
  prompt_hash text check (prompt_hash is null or prompt_hash ~ '^[0-9a-f]{64}$'),
  response_hash text check (response_hash is null or response_hash ~ '^[0-9a-f]{64}$'),
  cached boolean not null default false,
  latency_ms integer check (latency_ms is null or latency_ms >= 0),
  http_status smallint check (http_status is null or http_status between 100 and 599),
  error text check (error is null or char_length(error) <= 4000),
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
create index ai_requests_user_id_idx on public.ai_requests (user_id, created_at desc);
create index ai_requests_project_id_idx on public.ai_requests (project_id);
create index ai_requests_document_id_idx on public.ai_requests (document_id);
create index ai_requests_usage_id_idx on public.ai_requests (usage_id);
create index ai_requests_prompt_hash_idx on public.ai_requests (prompt_hash) where prompt_hash is not null;

-- The story bible as handed to the model: shared project material, so it follows the writer-tool rule.
create table public.ai_context_snapshots (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid references public.documents (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  kind text not null check (kind in ('story_bible', 'characters', 'locations', 'outline', 'beats', 'summary', 'style')),
  content jsonb not null check (jsonb_typeof(content) in ('object', 'array')),
  token_count integer check (token_count is null or token_count >= 0),
  -- hash of the sources the snapshot was built from; unchanged sources reuse the snapshot
  source_hash text check (source_hash is null or source_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index ai_context_snapshots_project_id_idx on public.ai_context_snapshots (project_id, kind, created_at desc);
create index ai_context_snapshots_document_id_idx on public.ai_context_snapshots (document_id);
create index ai_context_snapshots_user_id_idx on public.ai_context_snapshots (user_id);

-- Nightly roll-up of ai_usage for dashboards.
create table public.ai_usage_daily (
  user_id uuid not null references auth.users (id) on delete cascade,
  day date not null,
  feature text not null check (feature in ('continue', 'rewrite', 'expand', 'summarize', 'brainstorm', 'outline',
                                           'plot_analysis', 'character', 'dialogue', 'chat', 'other')),
  requests integer not null default 0 check (requests >= 0),
  words integer not null default 0 check (words >= 0),
  prompt_tokens bigint not null default 0 check (prompt_tokens >= 0),
  completion_tokens bigint not null default 0 check (completion_tokens >= 0),
  cost_usd numeric(14, 6) not null default 0 check (cost_usd >= 0),
  updated_at timestamptz not null default now(),
  primary key (user_id, day, feature)
);

-- ---------------------------------------------------------------------------------------------------------------
-- Billing and quotas

create table public.subscription_events (
  id uuid primary key default gen_random_uuid(),
  -- kept (as null) when the account is deleted: billing history outlives it
  user_id uuid references auth.users (id) on delete set null,
  stripe_event_id text not null unique,
  type text not null check (char_length(type) between 1 and 100),
  tier text check (tier is null or tier in ('free', 'pro', 'team')),
  status text check (status is null or status in ('active', 'trialing', 'past_due', 'canceled', 'incomplete', 'unpaid')),
  stripe_customer_id text,
  stripe_subscription_id text,
  payload jsonb not null default '{}'::jsonb,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  error text
);
create index subscription_events_user_id_idx on public.subscription_events (user_id, received_at desc);
create index subscription_events_customer_idx on public.subscription_events (stripe_customer_id);

-- Append-only: one row per counted thing, charged to the account whose plan pays for it (a project's owner).
create table public.usage_ledgers (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  project_id uuid references public.projects (id) on delete set null,
  metric text not null check (metric in ('documents_created', 'exports', 'collaborators_added', 'ai_words')),
  quantity integer not null check (quantity <> 0),
  period date not null default date_trunc('month', now())::date check (period = date_trunc('month', period)::date),
  source text not null default 'trigger' check (source in ('trigger', 'app', 'webhook', 'job', 'adjustment')),
  reference_id uuid,
  created_at timestamptz not null default now()
);
create index usage_ledgers_user_id_idx on public.usage_ledgers (user_id, period, metric);
create index usage_ledgers_project_id_idx on public.usage_ledgers (project_id);

-- ---------------------------------------------------------------------------------------------------------------
-- Exports: queued by a writer, carried out by the job runner.

create table public.export_jobs (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid references public.documents (id) on delete cascade,
  user_id uuid default auth.uid() references auth.users (id) on delete set null,
  format text not null check (format in ('pdf', 'docx', 'epub', 'markdown', 'txt', 'html', 'fdx', 'fountain')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'canceled')),
  options jsonb not null default '{}'::jsonb check (jsonb_typeof(options) = 'object'),
  storage_url text,
  error text check (error is null or char_length(error) <= 4000),
  attempts integer not null default 0 check (attempts >= 0),
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index export_jobs_project_id_idx on public.export_jobs (project_id, created_at desc);
create index export_jobs_document_id_idx on public.export_jobs (document_id);
create index export_jobs_user_id_idx on public.export_jobs (user_id);
create index export_jobs_status_idx on public.export_jobs (status, created_at) where status in ('queued', 'running');

-- ---------------------------------------------------------------------------------------------------------------
-- Analytics

create table public.analytics_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  project_id uuid references public.projects (id) on delete set null,
  document_id uuid references public.documents (id) on delete set null,
  client text not null default 'web' check (client in ('web', 'collab', 'desktop', 'mobile')),
  started_at timestamptz not null,
  ended_at timestamptz,
  active_seconds integer not null default 0 check (active_seconds >= 0),
  words_added integer not null default 0 check (words_added >= 0),
  words_deleted integer not null default 0 check (words_deleted >= 0),
  created_at timestamptz not null default now(),
  check (ended_at is null or ended_at >= started_at)
);
create index analytics_sessions_user_id_idx on public.analytics_sessions (user_id, started_at desc);
create index analytics_sessions_project_id_idx on public.analytics_sessions (project_id);
create index analytics_sessions_document_id_idx on public.analytics_sessions (document_id);

-- Per project (and optionally document and writer) per day, built by the nightly job; members read their project's.
create table public.content_metrics (
  id bigint generated always as identity primary key,
  project_id uuid not null references public.projects (id) on delete cascade,
  document_id uuid references public.documents (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  day date not null,
  word_count integer not null default 0 check (word_count >= 0),
  words_added integer not null default 0 check (words_added >= 0),
  words_deleted integer not null default 0 check (words_deleted >= 0),
  edit_seconds integer not null default 0 check (edit_seconds >= 0),
  comments_added integer not null default 0 check (comments_added >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique nulls not distinct (project_id, document_id, user_id, day)
);
create index content_metrics_document_id_idx on public.content_metrics (document_id);
create index content_metrics_user_id_idx on public.content_metrics (user_id);

-- ---------------------------------------------------------------------------------------------------------------
-- Triggers

create trigger ai_context_snapshots_touch before update on public.ai_context_snapshots for each row execute function private.touch_updated_at();
create trigger ai_usage_daily_touch before update on public.ai_usage_daily for each row execute function private.touch_updated_at();
create trigger export_jobs_touch before update on public.export_jobs for each row execute function private.touch_updated_at();
create trigger content_metrics_touch before update on public.content_metrics for each row execute function private.touch_updated_at();

create trigger ai_context_snapshots_stay before update on public.ai_context_snapshots for each row execute function private.guard_project_row();
create trigger ai_context_snapshots_document before insert or update on public.ai_context_snapshots
  for each row execute function private.check_same_project('documents', 'document_id');
create trigger export_jobs_stay before update on public.export_jobs for each row execute function private.guard_project_row();
create trigger export_jobs_document before insert or update on public.export_jobs
  for each row execute function private.check_same_project('documents', 'document_id');
create trigger content_metrics_document before insert or update on public.content_metrics
  for each row execute function private.check_same_project('documents', 'document_id');

-- The ledger is written here, inside the same transaction as the thing it counts, so it cannot miss one.
-- tg_argv[0] is the metric; the project's owner is charged because their plan sets the limits.
create function private.record_usage() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(new);
begin
  if v_row ->> 'role' = 'owner' then
    return null;
  end if;
  insert into public.usage_ledgers (user_id, project_id, metric, quantity, source, reference_id)
  select p.user_id, p.id, tg_argv[0], 1, 'trigger', coalesce(v_row ->> 'id', v_row ->> 'user_id')::uuid
    from public.projects p where p.id = (v_row ->> 'project_id')::uuid;
  return null;
end
$$;
create trigger documents_usage after insert on public.documents
  for each row execute function private.record_usage('documents_created');
create trigger project_members_usage after insert on public.project_members
  for each row execute function private.record_usage('collaborators_added');
create trigger export_jobs_usage after insert on public.export_jobs
  for each row execute function private.record_usage('exports');

-- AI words count against the caller's own monthly allowance; the counter restarts in a new month.
create function private.apply_ai_usage() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update public.user_profiles
     set ai_words_used_this_month = case when ai_words_reset_at < date_trunc('month', now()) then 0
                                         else ai_words_used_this_month end + new.words,
         ai_words_reset_at = greatest(ai_words_reset_at, date_trunc('month', now()))
   where id = new.user_id;
  if new.words > 0 then
    insert into public.usage_ledgers (user_id, project_id, metric, quantity, source, reference_id)
    values (new.user_id, new.project_id, 'ai_words', new.words, 'trigger', new.id);
  end if;
  return null;
end
$$;
create trigger ai_usage_apply after insert on public.ai_usage for each row execute function private.apply_ai_usage();

-- The exports-per-month limit of the owner's plan, counted across all of the owner's projects.
create function private.check_export_limit() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_tier text := private.owner_tier(new.project_id);
  v_limit integer := private.tier_limit(v_tier, 'exports_per_month');
  v_count integer;
begin
  if v_limit is null then
    return new;
  end if;
  select count(*) into v_count
    from public.export_jobs e join public.projects p on p.id = e.project_id
   where p.user_id = (select user_id from public.projects where id = new.project_id)
     and e.created_at >= date_trunc('month', now()) and e.status not in ('failed', 'canceled');
  if v_count >= v_limit then
    raise exception 'The % plan allows % exports a month. Upgrade to export more.', v_tier, v_limit
      using errcode = 'P0001', hint = 'quota:exports';
  end if;
  return new;
end
$$;
create trigger export_jobs_limit before insert on public.export_jobs for each row execute function private.check_export_limit();

-- ---------------------------------------------------------------------------------------------------------------
-- Row Level Security

alter table public.ai_usage enable row level security;
alter table public.ai_requests enable row level security;
alter table public.ai_context_snapshots enable row level security;
alter table public.ai_usage_daily enable row level security;
alter table public.subscription_events enable row level security;
alter table public.usage_ledgers enable row level security;
alter table public.export_jobs enable row level security;
alter table public.analytics_sessions enable row level security;
alter table public.content_metrics enable row level security;

-- Per-user records: your own rows only. Written by service_role (see the top of this file).
create policy "ai usage: own rows" on public.ai_usage for select to authenticated
  using (user_id = (select auth.uid()));
create policy "ai requests: own rows" on public.ai_requests for select to authenticated
  using (user_id = (select auth.uid()));
create policy "ai usage daily: own rows" on public.ai_usage_daily for select to authenticated
  using (user_id = (select auth.uid()));
create policy "subscription events: own rows" on public.subscription_events for select to authenticated
  using (user_id = (select auth.uid()));
create policy "usage ledgers: own rows" on public.usage_ledgers for select to authenticated
  using (user_id = (select auth.uid()));
create policy "analytics sessions: own rows" on public.analytics_sessions for select to authenticated
  using (user_id = (select auth.uid()));

-- Shared AI context: read by any member, built and refreshed by those who can edit.
create policy "ai context: members read" on public.ai_context_snapshots for select to authenticated
  using (private.has_role(project_id, null, 'viewer'));
create policy "ai context: editors create" on public.ai_context_snapshots for insert to authenticated
  with check (private.has_role(project_id, null, 'editor') and user_id = (select auth.uid()));
create policy "ai context: editors edit" on public.ai_context_snapshots for update to authenticated
  using (private.has_role(project_id, null, 'editor')) with check (private.has_role(project_id, null, 'editor'));
create policy "ai context: editors delete" on public.ai_context_snapshots for delete to authenticated
  using (private.has_role(project_id, null, 'editor'));

-- Project metrics are part of reading the project; only the nightly job (service_role) writes them.
create policy "content metrics: members read" on public.content_metrics for select to authenticated
  using (private.has_role(project_id, null, 'viewer'));

-- Exports: members see the project's exports (they can read the manuscript anyway). Queuing one spends the owner's
-- monthly allowance, so it takes the right to edit; progress is written by the worker as service_role. The requester
-- or an owner may delete a job.
create policy "exports: members read" on public.export_jobs for select to authenticated
  using (private.has_role(project_id, null, 'viewer'));
create policy "exports: editors queue" on public.export_jobs for insert to authenticated
  with check (private.has_role(project_id, null, 'editor')
              and user_id = (select auth.uid()) and status = 'queued' and storage_url is null and attempts = 0);
create policy "exports: requester or owner deletes" on public.export_jobs for delete to authenticated
  using ((user_id = (select auth.uid()) and private.has_role(project_id, null, 'viewer'))
      or private.has_role(project_id, null, 'owner'));

revoke all on public.ai_usage, public.ai_requests, public.ai_usage_daily, public.subscription_events,
  public.usage_ledgers, public.analytics_sessions, public.content_metrics, public.ai_context_snapshots,
  public.export_jobs from public, anon, authenticated;
grant select on public.ai_usage, public.ai_requests, public.ai_usage_daily, public.subscription_events,
  public.usage_ledgers, public.analytics_sessions, public.content_metrics to authenticated;
grant select, insert, update, delete on public.ai_context_snapshots to authenticated;
grant select, insert, delete on public.export_jobs to authenticated;
grant all on public.ai_usage, public.ai_requests, public.ai_usage_daily, public.subscription_events,
  public.usage_ledgers, public.analytics_sessions, public.content_metrics, public.ai_context_snapshots,
  public.export_jobs to service_role;
grant usage, select on all sequences in schema public to service_role;
