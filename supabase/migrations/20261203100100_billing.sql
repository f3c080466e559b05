-- Billing and quotas: the storage limit, the owner_tier leak, Stripe state that survives out-of-order webhooks, a
-- grace period for failed payments, ledger rows for removals and storage, limits that hold under concurrency, the
-- monthly AI reset. docs/billing.md explains the rules; packages/db/src/billing.ts applies Stripe events.

-- ---------------------------------------------------------------------------------------------------------------
-- Plans gain a storage limit (bytes, hence bigint). Same numbers as packages/domain/src/tiers.ts.

drop function private.tier_limit(text, text);
create function private.tier_limit(p_tier text, p_limit text) returns bigint
language sql immutable
set search_path = ''
as $$
  select case p_limit
    when 'projects' then case p_tier when 'free' then 3 when 'pro' then 50 else null end
    when 'collaborators' then case p_tier when 'free' then 2 when 'pro' then 10 else 50 end
    when 'version_retention_days' then case p_tier when 'free' then 30 when 'pro' then 365 else null end
    when 'ai_words_per_month' then case p_tier when 'free' then 5000 when 'pro' then 200000 else 1000000 end
    when 'exports_per_month' then case p_tier when 'free' then 5 when 'pro' then 100 else null end
    when 'storage_bytes' then case p_tier when 'free' then 104857600 when 'pro' then 5368709120 else 53687091200 end
  end
$$;
revoke all on function private.tier_limit(text, text) from public;
grant execute on function private.tier_limit(text, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------------
-- owner_tier told any signed-in user the plan of any project's owner (docs/SECURITY_AUDIT.md). Now a person gets
-- an answer only for a project they are a member of. The limit triggers still need it for people who are not
-- members yet (an invitee accepting): they call it from inside a trigger, which a person cannot arrange for an
-- arbitrary project, and the service role (jobs, webhooks) is not a person.

create or replace function private.owner_tier(p_project_id uuid) returns text
language sql stable security definer
set search_path = ''
as $$
  select coalesce(up.subscription_tier, 'free')
    from public.projects p left join public.user_profiles up on up.id = p.user_id
   where p.id = p_project_id
     and (pg_trigger_depth() > 0
          or coalesce(nullif(current_setting('role', true), ''), 'none') not in ('authenticated', 'anon')
          or private.has_role(p_project_id, null, 'viewer'))
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Stripe state on the profile

alter table public.user_profiles
  -- `created` of the newest Stripe event applied to the plan: an older one arriving late is recorded, not applied
  add column billing_event_at timestamptz,
  -- the subscription ends then (cancel at period end); shown instead of the renewal date
  add column cancel_at timestamptz,
  -- a failed renewal: the plan stays until grace_until, then the grace job moves the owner to free
  add column payment_failed_at timestamptz,
  add column grace_until timestamptz;

-- Users may change how they appear, never their plan, Stripe links or counters.
create or replace function private.guard_profile_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user = 'authenticated' and (
       new.id <> old.id or new.email is distinct from old.email
    or new.subscription_tier <> old.subscription_tier or new.subscription_status <> old.subscription_status
    or new.stripe_customer_id is distinct from old.stripe_customer_id or new.stripe_subscription_id is distinct from old.stripe_subscription_id
    or new.stripe_price_id is distinct from old.stripe_price_id or new.current_period_end is distinct from old.current_period_end
    or new.ai_words_used_this_month <> old.ai_words_used_this_month or new.ai_words_reset_at <> old.ai_words_reset_at
    or new.billing_event_at is distinct from old.billing_event_at or new.cancel_at is distinct from old.cancel_at
    or new.payment_failed_at is distinct from old.payment_failed_at or new.grace_until is distinct from old.grace_until) then
    raise exception 'only your name and picture can be changed here' using errcode = '42501';
  end if;
  return new;
end
$$;

create index user_profiles_grace_idx on public.user_profiles (grace_until) where grace_until is not null;

-- ---------------------------------------------------------------------------------------------------------------
-- Webhook events: the unique stripe_event_id (core migration) makes a redelivery a no-op insert; these columns say
-- what became of each one.

alter table public.subscription_events
  add column event_created_at timestamptz,
  add column outcome text check (outcome is null or outcome in ('applied', 'stale', 'ignored', 'failed')),
  add column attempts integer not null default 0 check (attempts >= 0);
create index subscription_events_pending_idx on public.subscription_events (received_at) where processed_at is null;

-- ---------------------------------------------------------------------------------------------------------------
-- Ledger: storage bytes, and removals as negative rows so a sum is the current figure.

alter table public.usage_ledgers drop constraint usage_ledgers_metric_check;
alter table public.usage_ledgers add constraint usage_ledgers_metric_check
  check (metric in ('documents_created', 'exports', 'collaborators_added', 'ai_words', 'storage_bytes'));

create function private.record_member_removed() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.role <> 'owner' then
    insert into public.usage_ledgers (user_id, project_id, metric, quantity, source, reference_id)
    select p.user_id, p.id, 'collaborators_added', -1, 'trigger', old.user_id
      from public.projects p where p.id = old.project_id;
  end if;
  return null;
end
$$;
create trigger project_members_usage_removed after delete on public.project_members
  for each row execute function private.record_member_removed();

-- ---------------------------------------------------------------------------------------------------------------
-- Limits hold under concurrency: two inserts that each see n-1 rows must not both pass. A transaction-scoped
-- advisory lock per (limit, account) runs first (triggers fire in name order: "aa_" before the checks), and the
-- check's count, a later statement, sees what the lock holder committed.

create function private.lock_quota() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_key text;
  v_row jsonb := to_jsonb(new);
begin
  v_key := case tg_argv[0]
    when 'projects' then v_row ->> 'user_id'
    when 'collaborators' then v_row ->> 'project_id'
    when 'exports' then (select user_id::text from public.projects where id = (v_row ->> 'project_id')::uuid)
  end;
  perform pg_advisory_xact_lock(hashtextextended('quire:quota:' || tg_argv[0] || ':' || coalesce(v_key, ''), 0));
  return new;
end
$$;
create trigger projects_aa_quota_lock before insert on public.projects
  for each row execute function private.lock_quota('projects');
create trigger project_members_aa_quota_lock before insert on public.project_members
  for each row execute function private.lock_quota('collaborators');
create trigger invitations_aa_quota_lock before insert on public.invitations
  for each row execute function private.lock_quota('collaborators');
create trigger export_jobs_aa_quota_lock before insert on public.export_jobs
  for each row execute function private.lock_quota('exports');

-- ---------------------------------------------------------------------------------------------------------------
-- Storage: an uploader's pictures count against their own plan (the objects live in their folder).

create function private.check_storage_limit() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_size bigint := coalesce((new.metadata ->> 'size')::bigint, 0);
  v_old bigint := 0;
  v_tier text;
  v_limit bigint;
  v_used bigint;
begin
  if new.owner is null then
    return new;
  end if;
  if tg_op = 'UPDATE' then
    v_old := case when old.owner = new.owner then coalesce((old.metadata ->> 'size')::bigint, 0) else 0 end;
  end if;
  if v_size <= v_old then
    return new;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('quire:quota:storage:' || new.owner::text, 0));
  select coalesce((select subscription_tier from public.user_profiles where id = new.owner), 'free') into v_tier;
  v_limit := private.tier_limit(v_tier, 'storage_bytes');
  select coalesce(sum((metadata ->> 'size')::bigint), 0) into v_used
    from storage.objects where owner = new.owner and id <> new.id;
  if v_limit is not null and v_used + v_size > v_limit then
    raise exception 'The % plan allows % MB of pictures. Delete some or upgrade to upload more.', v_tier, v_limit / 1048576
      using errcode = 'P0001', hint = 'quota:storage';
  end if;
  return new;
end
$$;
create trigger objects_quire_storage_limit before insert or update of metadata, owner on storage.objects
  for each row execute function private.check_storage_limit();

create function private.record_storage_usage() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_delta bigint;
  v_owner uuid;
begin
  if tg_op = 'INSERT' then
    v_owner := new.owner;
    v_delta := coalesce((new.metadata ->> 'size')::bigint, 0);
  elsif tg_op = 'DELETE' then
    v_owner := old.owner;
    v_delta := -coalesce((old.metadata ->> 'size')::bigint, 0);
  else
    if old.owner is distinct from new.owner then
      -- a change of owner moves the bytes: two rows
      if old.owner is not null and coalesce((old.metadata ->> 'size')::bigint, 0) <> 0 then
        insert into public.usage_ledgers (user_id, metric, quantity, source) select old.owner, 'storage_bytes',
          -coalesce((old.metadata ->> 'size')::bigint, 0), 'trigger' where exists (select 1 from auth.users where id = old.owner);
      end if;
      v_owner := new.owner;
      v_delta := coalesce((new.metadata ->> 'size')::bigint, 0);
    else
      v_owner := new.owner;
      v_delta := coalesce((new.metadata ->> 'size')::bigint, 0) - coalesce((old.metadata ->> 'size')::bigint, 0);
    end if;
  end if;
  if v_owner is not null and v_delta <> 0 and exists (select 1 from auth.users where id = v_owner) then
    insert into public.usage_ledgers (user_id, metric, quantity, source) values (v_owner, 'storage_bytes', v_delta, 'trigger');
  end if;
  return null;
end
$$;
create trigger objects_quire_storage_usage after insert or update or delete on storage.objects
  for each row execute function private.record_storage_usage();

-- ---------------------------------------------------------------------------------------------------------------
-- AI words: the allowance left this month (checked before a model call), and the monthly reset.
-- A month is the UTC calendar month for everyone (not the billing cycle): the reset job runs at 00:05 UTC on the
-- first, and apply_ai_usage starts a new month by itself if the job is late.

create function private.ai_words_left(p_user_id uuid, p_as_of timestamptz default now()) returns bigint
language sql stable security definer
set search_path = ''
as $$
  select case when private.tier_limit(up.subscription_tier, 'ai_words_per_month') is null then null
              else greatest(0, private.tier_limit(up.subscription_tier, 'ai_words_per_month')
                               - case when up.ai_words_reset_at < date_trunc('month', p_as_of at time zone 'UTC') at time zone 'UTC'
                                      then 0 else up.ai_words_used_this_month end)
         end
    from public.user_profiles up where up.id = p_user_id
$$;
revoke all on function private.ai_words_left(uuid, timestamptz) from public;
grant execute on function private.ai_words_left(uuid, timestamptz) to service_role;

-- Idempotent: a second run in the same month changes nothing; a late run still starts the month it is in.
create function private.reset_ai_words(p_as_of timestamptz) returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_month timestamptz := date_trunc('month', p_as_of at time zone 'UTC') at time zone 'UTC';
  v_count integer;
begin
  update public.user_profiles
     set ai_words_used_this_month = 0, ai_words_reset_at = v_month
   where ai_words_reset_at < v_month;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
revoke all on function private.reset_ai_words(timestamptz) from public;
grant execute on function private.reset_ai_words(timestamptz) to service_role;
