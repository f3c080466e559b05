-- Reading a board asked private.has_role() once per row. Postgres cannot inline a SECURITY DEFINER function, so on a
-- large project (bench/structure: 1,000 outline sections, 200 documents) the outline read spent most of its time in
-- 1,200 calls of it, each with three subqueries. The read policies below ask once per query which projects the caller
-- can read, as a set the planner hashes, and test each row against it. The answer is has_role's for 'viewer':
--   * a row of a project the caller is a member of (every role ranks at least viewer);
--   * someone a document was shared with reads the writer tools of that document's project (has_role with no
--     document: the third branch), and the shared documents themselves, not their siblings (has_role with the
--     document: only the second branch).
-- Writes keep has_role: they touch one row at a time.

create function private.member_projects() returns setof uuid
language sql stable security definer
set search_path = ''
as $$
  select pm.project_id from public.project_members pm where pm.user_id = (select auth.uid())
$$;

create function private.shared_documents() returns setof uuid
language sql stable security definer
set search_path = ''
as $$
  select dc.document_id from public.document_collaborators dc where dc.user_id = (select auth.uid())
$$;

create function private.readable_projects() returns setof uuid
language sql stable security definer
set search_path = ''
as $$
  select pm.project_id from public.project_members pm where pm.user_id = (select auth.uid())
  union
  select d.project_id from public.document_collaborators dc join public.documents d on d.id = dc.document_id
   where dc.user_id = (select auth.uid())
$$;

revoke all on function private.member_projects(), private.shared_documents(), private.readable_projects() from public;
grant execute on function private.member_projects(), private.shared_documents(), private.readable_projects() to authenticated, service_role;

drop policy "documents: readers read" on public.documents;
create policy "documents: readers read" on public.documents for select to authenticated
  using (project_id in (select private.member_projects()) or id in (select private.shared_documents()));

do $$
declare
  v_table text;
begin
  foreach v_table in array array['outlines', 'outline_sections', 'story_beats', 'plot_analyses', 'plot_issues',
                                 'characters', 'character_relationships', 'character_arcs', 'locations', 'location_events']
  loop
    execute format('drop policy "%s: members read" on public.%I', v_table, v_table);
    execute format($p$create policy "%s: members read" on public.%I for select to authenticated
      using (project_id in (select private.readable_projects()))$p$, v_table, v_table);
  end loop;
end
$$;
