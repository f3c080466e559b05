-- Arc stages (public.character_arcs.stages, an array of {id, kind, title, description, link}) may point at an outline
-- section, a beat or a document: link = {"type": "section" | "beat" | "document", "id": <uuid>, "quote"?: <text>}.
-- A jsonb link has no foreign key, so when what it points at is deleted this trigger sets the stage's link to null
-- (the stage itself stays: the writer's words about the character are not lost with a chapter). The arc's version
-- rises and its live notification fires like any other update, so open profiles refetch and stale edits conflict.

create function private.drop_arc_links() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update public.character_arcs a
     set stages = (
       select coalesce(jsonb_agg(case when t.stage -> 'link' ->> 'id' = old.id::text
                                      then jsonb_set(t.stage, '{link}', 'null'::jsonb) else t.stage end order by t.ord), '[]'::jsonb)
         from jsonb_array_elements(a.stages) with ordinality as t(stage, ord))
   where a.project_id = old.project_id
     and a.stages @> jsonb_build_array(jsonb_build_object('link', jsonb_build_object('id', old.id::text)));
  return null;
end
$$;
revoke all on function private.drop_arc_links() from public;

create trigger outline_sections_arc_links after delete on public.outline_sections
  for each row execute function private.drop_arc_links();
create trigger story_beats_arc_links after delete on public.story_beats
  for each row execute function private.drop_arc_links();
create trigger documents_arc_links after delete on public.documents
  for each row execute function private.drop_arc_links();

create index character_arcs_stages_idx on public.character_arcs using gin (stages jsonb_path_ops);
