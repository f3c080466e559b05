-- Failed background jobs and webhook deliveries, one row each, beside the log line and the metric that
-- packages/db/src/failures.ts emits: the row is what an owner-facing or ops screen lists, and what support finds
-- by the job or event id. Written by the worker and the webhook as service_role; an owner reads the rows charged
-- to them (a failed export, a Stripe event about their plan). No payloads, tokens or manuscript text.
create table public.background_failures (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('job', 'webhook')),
  -- the queue of a job, the source of a webhook
  source text not null check (char_length(source) between 1 and 100),
  reason text check (reason is null or char_length(reason) <= 100),
  -- the pg-boss job id or the provider's event id
  reference_id text check (reference_id is null or char_length(reference_id) <= 255),
  attempt integer check (attempt is null or attempt >= 1),
  -- true when no retry is left and someone must look
  final boolean not null default false,
  user_id uuid references auth.users (id) on delete set null,
  project_id uuid references public.projects (id) on delete set null,
  error_name text check (error_name is null or char_length(error_name) <= 200),
  error_message text check (error_message is null or char_length(error_message) <= 500),
  created_at timestamptz not null default now()
);
create index background_failures_created_idx on public.background_failures (created_at desc);
create index background_failures_reference_idx on public.background_failures (reference_id);
create index background_failures_user_id_idx on public.background_failures (user_id, created_at desc);
create index background_failures_project_id_idx on public.background_failures (project_id);

alter table public.background_failures enable row level security;
create policy "background failures: own rows" on public.background_failures for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on public.background_failures from public, anon, authenticated;
grant select on public.background_failures to authenticated;
grant all on public.background_failures to service_role;
grant usage, select on all sequences in schema public to service_role;
