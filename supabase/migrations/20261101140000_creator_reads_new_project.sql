-- INSERT ... RETURNING (supabase-js `.insert().select()`) checks the new row against the SELECT policy before the
-- AFTER trigger that makes the creator its owner member has run, so creating a project and reading it back in one
-- statement was refused. projects.user_id is the owner of record, whose plan sets the project's limits and who can
-- never be changed; letting that account always read the project row fixes the statement without widening access
-- to anything inside the project.

drop policy "projects: members read" on public.projects;
create policy "projects: members read" on public.projects for select to authenticated
  using (user_id = (select auth.uid())
      or private.has_role(id, null, 'viewer')
      -- the documents subquery runs under the documents policy, so it only finds documents shared with the caller
      or exists (select 1 from public.documents d where d.project_id = projects.id));
