-- What the web app needs around invitations and per-document shares that RLS alone cannot answer:
-- a preview of an invitation for whoever holds its link, sharing a document with an account found by email,
-- and the names of people a document was shared with for the owner who shared it.

-- The link holder sees what they are invited to before joining. Holding the secret is the permission, as with
-- accept_invitation; nothing else about the project is revealed.
create function public.invitation_preview(p_token_hash text)
returns table (project_title text, role text, inviter_name text, email text, status text, expired boolean)
language sql stable security definer
set search_path = ''
as $$
  select p.title, i.role, coalesce(nullif(up.display_name, ''), 'The project owner'), i.email, i.status, i.expires_at <= now()
    from public.invitations i
    join public.projects p on p.id = i.project_id
    left join public.user_profiles up on up.id = i.invited_by
   where i.token_hash = p_token_hash
$$;
revoke all on function public.invitation_preview(text) from public;
grant execute on function public.invitation_preview(text) to anon, authenticated;

-- Owners share one document with someone outside the project. Accounts are found by address here because no
-- signed-in role may read auth.users.
create function public.share_document(p_document_id uuid, p_email text, p_role text) returns uuid
language plpgsql security definer
set search_path = ''
as $$
declare
  v_project_id uuid;
  v_user_id uuid;
begin
  select project_id into v_project_id from public.documents where id = p_document_id;
  if v_project_id is null or not private.has_role(v_project_id, null, 'owner') then
    raise exception 'Only the project''s owner can share its documents.' using errcode = '42501', hint = 'share:forbidden';
  end if;
  if p_role not in ('editor', 'commenter', 'viewer') then
    raise exception 'Choose a role: editor, commenter or viewer.' using errcode = 'P0001', hint = 'share:role';
  end if;
  select id into v_user_id from auth.users where lower(email) = lower(btrim(p_email)) and deleted_at is null;
  if v_user_id is null then
    raise exception 'Nobody has a Quire account with that address yet. Ask them to sign up, then share again.'
      using errcode = 'P0001', hint = 'share:no_account';
  end if;
  if exists (select 1 from public.project_members where project_id = v_project_id and user_id = v_user_id) then
    raise exception 'They are already a member of this project; change their role on the members page instead.'
      using errcode = 'P0001', hint = 'share:member';
  end if;
  insert into public.document_collaborators (document_id, user_id, role, invited_by)
  values (p_document_id, v_user_id, p_role, (select auth.uid()))
  on conflict (document_id, user_id) do update set role = excluded.role;
  return v_user_id;
end
$$;
revoke all on function public.share_document(uuid, text, text) from public, anon;
grant execute on function public.share_document(uuid, text, text) to authenticated;

-- The owner sees who they shared a document with; the person shared with sees the owner's name.
create policy "profiles: people sharing a document" on public.user_profiles for select to authenticated
  using (
    exists (
      select 1 from public.document_collaborators dc join public.documents d on d.id = dc.document_id
       where dc.user_id = user_profiles.id and private.has_role(d.project_id, null, 'owner'))
    or exists (
      select 1 from public.document_collaborators dc join public.documents d on d.id = dc.document_id
        join public.projects p on p.id = d.project_id
       where dc.user_id = (select auth.uid()) and p.user_id = user_profiles.id)
  );
