-- A document share (document_collaborators) grants one role on one document. The core version of private.has_role
-- also answered "viewer" for the whole project to anyone holding a share, so every project-level table guarded by
-- has_role(project_id, null, 'viewer') — the member list, and every writer-tool table that follows — was readable by
-- someone who was only meant to see one chapter. Here the share stays on its document, and the one thing a shared
-- person legitimately needs from the project (its row: title, kind) is granted by the projects policy through the
-- documents they can already read.

create or replace function private.has_role(p_project_id uuid, p_document_id uuid, p_min_role text) returns boolean
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
    ) r
  ), 0) >= private.role_rank(p_min_role)
$$;

drop policy "projects: members read" on public.projects;
-- The documents subquery runs under the documents policy, so it only finds documents shared with the caller.
create policy "projects: members read" on public.projects for select to authenticated
  using (private.has_role(id, null, 'viewer')
      or exists (select 1 from public.documents d where d.project_id = projects.id));
