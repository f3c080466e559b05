-- 20261203510100 gave the writer-tool tables read policies through private.readable_projects(), which also lists the
-- projects of documents shared with the caller. has_role(project, null, 'viewer'), which those policies replaced,
-- counts project members only (a document share grants its role on that one document, 20261101120000_share_scope),
-- so someone a single chapter was shared with could read the project's whole outline, beats, plot cards and story
-- bible. The policies now test membership alone, still once per query.

do $$
declare
  v_table text;
begin
  foreach v_table in array array['outlines', 'outline_sections', 'story_beats', 'plot_analyses', 'plot_issues',
                                 'characters', 'character_relationships', 'character_arcs', 'locations', 'location_events']
  loop
    execute format('drop policy "%s: members read" on public.%I', v_table, v_table);
    execute format($p$create policy "%s: members read" on public.%I for select to authenticated
      using (project_id in (select private.member_projects()))$p$, v_table, v_table);
  end loop;
end
$$;

drop function private.readable_projects();
