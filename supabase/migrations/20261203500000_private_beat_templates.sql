-- A writer's own beat board, kept as a private template for their other projects. Until now beat_templates held only
-- the public structures the seed ships, written by the service. A template now has an owner, or is public:
--   * a private template (is_public false, owner_id set) is visible only to its owner, who may create and delete it;
--   * the public ones stay readable by every signed-in person and writable only by the service.
-- The earlier migration's select policy is replaced (not edited) so it also lets owners see their own.

alter table public.beat_templates
  add column owner_id uuid references auth.users (id) on delete cascade,
  add constraint beat_templates_public_or_owned check (is_public or owner_id is not null);
create index beat_templates_owner_id_idx on public.beat_templates (owner_id);

drop policy "beat templates: readable when signed in" on public.beat_templates;
create policy "beat templates: public ones and one's own" on public.beat_templates for select to authenticated
  using ((select auth.uid()) is not null and (is_public or owner_id = (select auth.uid())));
create policy "beat templates: save one's own private template" on public.beat_templates for insert to authenticated
  with check (owner_id = (select auth.uid()) and not is_public);
create policy "beat templates: delete one's own private template" on public.beat_templates for delete to authenticated
  using (owner_id = (select auth.uid()) and not is_public);

grant insert, delete on public.beat_templates to authenticated;
-- the table's check constraint calls it when a signed-in writer inserts
grant execute on function private.beats_valid(jsonb) to authenticated;
