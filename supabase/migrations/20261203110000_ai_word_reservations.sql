-- The AI quota, checked before a model call: a caller reserves the most words a call can produce, atomically, and
-- is refused past the plan's monthly allowance with the same kind of error as the other limits (P0001,
-- hint 'quota:ai_words'). After the call the reservation is released and the words actually used are recorded in
-- ai_usage (whose trigger counts them), so the counter ends at what was used. packages/db/src/ai-quota.ts is the
-- door; docs/billing.md has the rules.
--
-- Why one UPDATE: its WHERE holds the limit check, and Postgres re-checks a WHERE against the newest row version
-- when a concurrent transaction changed the row first, so two reservations can never both pass on the same room.

create function private.reserve_ai_words(p_user_id uuid, p_words integer, p_project_id uuid default null, p_as_of timestamptz default now())
returns bigint
language plpgsql security definer
set search_path = ''
as $$
declare
  v_month timestamp := date_trunc('month', p_as_of at time zone 'UTC');
  v_start timestamptz := v_month at time zone 'UTC';
  v_tier text;
  v_limit bigint;
  v_used bigint;
begin
  if p_words is null or p_words <= 0 then
    raise exception 'reserve at least one AI word, not %', p_words using errcode = '22023';
  end if;
  update public.user_profiles
     set ai_words_used_this_month = case when ai_words_reset_at < v_start then 0 else ai_words_used_this_month end + p_words,
         ai_words_reset_at = greatest(ai_words_reset_at, v_start)
   where id = p_user_id
     and (private.tier_limit(subscription_tier, 'ai_words_per_month') is null
          or case when ai_words_reset_at < v_start then 0 else ai_words_used_this_month end + p_words
             <= private.tier_limit(subscription_tier, 'ai_words_per_month'))
  returning subscription_tier, ai_words_used_this_month into v_tier, v_used;
  if not found then
    select subscription_tier into v_tier from public.user_profiles where id = p_user_id;
    if not found then
      raise exception 'no account %', p_user_id using errcode = 'P0002';
    end if;
    v_limit := private.tier_limit(v_tier, 'ai_words_per_month');
    raise exception 'The % plan allows % AI words a month. Upgrade to use more.', v_tier, to_char(v_limit, 'FM999,999,999,999')
      using errcode = 'P0001', hint = 'quota:ai_words';
  end if;
  insert into public.usage_ledgers (user_id, project_id, metric, quantity, period, source)
  values (p_user_id, p_project_id, 'ai_words', p_words, v_month::date, 'app');
  v_limit := private.tier_limit(v_tier, 'ai_words_per_month');
  return case when v_limit is null then null else v_limit - v_used end;
end
$$;
revoke all on function private.reserve_ai_words(uuid, integer, uuid, timestamptz) from public;
grant execute on function private.reserve_ai_words(uuid, integer, uuid, timestamptz) to service_role;

-- Gives back words reserved in the month p_period (its first day). The counter only goes down while it still
-- counts that month; a reservation from an older month only gets its ledger row.
create function private.release_ai_words(p_user_id uuid, p_words integer, p_period date, p_project_id uuid default null)
returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  if p_words is null or p_words <= 0 then
    return;
  end if;
  update public.user_profiles
     set ai_words_used_this_month = greatest(0, ai_words_used_this_month - p_words)
   where id = p_user_id
     and ai_words_reset_at < ((p_period + interval '1 month')::timestamp at time zone 'UTC');
  insert into public.usage_ledgers (user_id, project_id, metric, quantity, period, source)
  select p_user_id, p_project_id, 'ai_words', -p_words, p_period, 'app'
   where exists (select 1 from auth.users where id = p_user_id);
end
$$;
revoke all on function private.release_ai_words(uuid, integer, date, uuid) from public;
grant execute on function private.release_ai_words(uuid, integer, date, uuid) to service_role;
