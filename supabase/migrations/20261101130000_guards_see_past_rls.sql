-- The consistency guards on comments and versions ran with the caller's rights, so for a caller who cannot read the
-- document the "does this document belong to this project" lookup found nothing and they were refused with a
-- misleading integrity error (23514) before Row Level Security had its say. The lookups now see the real document,
-- so a stranger is refused by the policy (42501, like every other refusal) and the integrity errors only ever mean
-- what they say.

create function private.document_project(p_document_id uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select project_id from public.documents where id = p_document_id
$$;
revoke all on function private.document_project(uuid) from public;
grant execute on function private.document_project(uuid) to authenticated, service_role;

create or replace function private.guard_document_version() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    raise exception 'a stored version cannot be changed' using errcode = '42501';
  end if;
  if private.document_project(new.document_id) is distinct from new.project_id then
    raise exception 'a version belongs to its document''s project' using errcode = '23514';
  end if;
  return new;
end
$$;

-- Unchanged except for the document lookup; it stays SECURITY INVOKER because the author check reads current_user.
create or replace function private.guard_comment() returns trigger
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
  if private.document_project(new.document_id) is distinct from new.project_id then
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
