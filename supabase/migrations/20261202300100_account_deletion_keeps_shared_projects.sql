-- Deleting an account (Supabase's dashboard or admin API, or any delete from auth.users) cascaded to every project
-- the account owned of record, so co-writers silently lost the manuscripts they were working in. From here on:
--   * a project nobody else is a member of goes with the account, as before;
--   * a project with another owner among its members passes to the longest-standing of them;
--   * a project with other members but no other owner stops the deletion with a sentence naming the projects,
--     until the owner hands it over with public.transfer_project or deletes it.
-- Outside reviewers with a per-document share are not members and do not keep a project alive.

-- Redefined from 20261101000000_core.sql: the owner of record may now change, but only through a privileged path
-- (public.transfer_project, the account-deletion trigger below, the service role). Signed-in users still cannot
-- update projects.user_id themselves.
create or replace function private.guard_project_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.id <> old.id or new.created_at <> old.created_at
     or (new.user_id <> old.user_id and current_user in ('authenticated', 'anon')) then
    raise exception 'a project''s identity and owner cannot be changed this way' using errcode = '42501';
  end if;
  return new;
end
$$;

-- The owner of record hands the project to a member they choose. The new owner's plan then sets the project's
-- limits, so the hand-over is refused when it would take them past their plan's number of projects; the previous
-- owner stays on as an editor.
create function public.transfer_project(p_project uuid, p_new_owner uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_owner uuid;
  v_tier text;
  v_limit integer;
  v_count integer;
begin
  select user_id into v_owner from public.projects where id = p_project for update;
  if v_uid is null or v_owner is distinct from v_uid then
    raise exception 'Only the project''s owner can hand it over.' using errcode = '42501';
  end if;
  if p_new_owner = v_uid then
    raise exception 'You already own this project.' using errcode = 'P0001', hint = 'transfer:self';
  end if;
  if not exists (select 1 from public.project_members where project_id = p_project and user_id = p_new_owner) then
    raise exception 'Only a member of the project can become its owner. Invite them first.' using errcode = 'P0001', hint = 'transfer:not_member';
  end if;
  select coalesce((select subscription_tier from public.user_profiles where id = p_new_owner), 'free') into v_tier;
  v_limit := private.tier_limit(v_tier, 'projects');
  select count(*) into v_count from public.projects where user_id = p_new_owner;
  if v_limit is not null and v_count >= v_limit then
    raise exception 'Their % plan allows % projects, and they have reached it. They can delete one or upgrade first.', v_tier, v_limit
      using errcode = 'P0001', hint = 'quota:projects';
  end if;
  -- promote first: the membership guard refuses to demote the last owner
  update public.project_members set role = 'owner' where project_id = p_project and user_id = p_new_owner;
  update public.projects set user_id = p_new_owner where id = p_project;
  update public.project_members set role = 'editor' where project_id = p_project and user_id = v_uid;
end
$$;
revoke execute on function public.transfer_project(uuid, uuid) from public, anon;
grant execute on function public.transfer_project(uuid, uuid) to authenticated, service_role;

create function private.keep_shared_projects_on_account_deletion() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_project record;
  v_heir uuid;
  v_stuck text[] := '{}';
begin
  for v_project in
    select p.id, p.title from public.projects p
     where p.user_id = old.id
       and exists (select 1 from public.project_members m where m.project_id = p.id and m.user_id <> old.id)
     order by p.created_at
     for update
  loop
    select m.user_id into v_heir from public.project_members m
     where m.project_id = v_project.id and m.user_id <> old.id and m.role = 'owner'
     order by m.created_at, m.user_id limit 1;
    if v_heir is null then
      v_stuck := v_stuck || format('"%s"', v_project.title);
    else
      update public.projects set user_id = v_heir where id = v_project.id;
    end if;
  end loop;
  if cardinality(v_stuck) > 0 then
    raise exception 'This account still owns % that other people work in: %. Hand each one to another member (transfer_project) or delete it, then delete the account.',
      case when cardinality(v_stuck) = 1 then 'a project' else cardinality(v_stuck) || ' projects' end, array_to_string(v_stuck, ', ')
      using errcode = 'P0001', hint = 'account:owns_shared_projects';
  end if;
  return old;
end
$$;
create trigger on_auth_user_deleting before delete on auth.users
  for each row execute function private.keep_shared_projects_on_account_deletion();
