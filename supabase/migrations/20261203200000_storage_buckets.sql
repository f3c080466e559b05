-- Storage for the story bible and for exports.
--
-- character-images becomes private: a portrait is readable by the members of the project whose character (or
-- location) uses it, through a signed URL or an authenticated download, and by nobody else. The uploader's own-folder
-- rules of 20261104000000 stay as they are: writes only ever land under `<auth.uid()>/...`.
--
-- exports holds export files under `<project_id>/...`: readable by the project's members (signed, expiring links),
-- written only by the service role (the export job).
--
-- A character or location that is deleted, or whose picture is replaced, leaves its picture's folder in
-- private.storage_garbage; the server removes those objects (rows and bytes) through the storage API, so the same
-- cleanup works on Supabase Storage and on the embedded subset.

update storage.buckets set public = false where id = 'character-images';

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('exports', 'exports', false, 200 * 1024 * 1024, null)
on conflict (id) do update
  set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types;

-- The folder of an object name ('a/b/c.webp' -> 'a/b'); null for a name without one.
create function private.object_folder(p_name text) returns text
language sql immutable
set search_path = ''
as $$
  select case when p_name is null or strpos(p_name, '/') = 0 then null
              else left(p_name, length(p_name) - strpos(reverse(p_name), '/')) end
$$;

-- The first path segment as a uuid, or null when it is not one (a cast error must never escape a policy).
create function private.object_project(p_name text) returns uuid
language sql immutable
set search_path = ''
as $$
  select case when split_part(p_name, '/', 1) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              then split_part(p_name, '/', 1)::uuid end
$$;
revoke all on function private.object_folder(text), private.object_project(text) from public;
grant execute on function private.object_folder(text), private.object_project(text) to authenticated, service_role;

create index characters_image_folder_idx on public.characters (private.object_folder(image_path)) where image_path is not null;
create index locations_image_folder_idx on public.locations (private.object_folder(image_path)) where image_path is not null;

-- The subqueries run under the characters/locations policies, so they only find rows of the caller's projects.
-- (objects.name, qualified: characters and locations have a name column of their own.)
create policy "character images: members read pictures in use" on storage.objects for select to authenticated
  using (
    bucket_id = 'character-images' and (
      exists (select 1 from public.characters c where private.object_folder(c.image_path) = private.object_folder(objects.name))
      or exists (select 1 from public.locations l where private.object_folder(l.image_path) = private.object_folder(objects.name))
    )
  );

create policy "exports: members read their project's files" on storage.objects for select to authenticated
  using (bucket_id = 'exports' and private.has_role(private.object_project(name), null, 'viewer'));

create table private.storage_garbage (
  id bigserial primary key,
  bucket_id text not null,
  folder text not null,
  queued_at timestamptz not null default now()
);
revoke all on private.storage_garbage from public, anon, authenticated;
grant all on private.storage_garbage to service_role;
grant usage on sequence private.storage_garbage_id_seq to service_role;

create function private.queue_picture_garbage() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.image_path is not null and (tg_op = 'DELETE' or new.image_path is distinct from old.image_path)
     and private.object_folder(old.image_path) is not null then
    insert into private.storage_garbage (bucket_id, folder) values ('character-images', private.object_folder(old.image_path));
  end if;
  return null;
end
$$;
revoke all on function private.queue_picture_garbage() from public;

create trigger characters_picture_garbage after delete or update of image_path on public.characters
  for each row execute function private.queue_picture_garbage();
create trigger locations_picture_garbage after delete or update of image_path on public.locations
  for each row execute function private.queue_picture_garbage();

-- A picture reference grants its project's members read access to that folder, so a writer may only point a row at
-- a picture they uploaded themselves (their own folder); otherwise naming someone else's object would expose it.
-- The service role (jobs, imports) is not held to this.
create function private.guard_picture_owner() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.image_path is not null and (tg_op = 'INSERT' or new.image_path is distinct from old.image_path)
     and (select auth.uid()) is not null
     and split_part(new.image_path, '/', 1) <> (select auth.uid())::text then
    raise exception 'A picture can only be one you uploaded yourself.' using errcode = '42501';
  end if;
  return new;
end
$$;
revoke all on function private.guard_picture_owner() from public;

create trigger characters_picture_owner before insert or update of image_path on public.characters
  for each row execute function private.guard_picture_owner();
create trigger locations_picture_owner before insert or update of image_path on public.locations
  for each row execute function private.guard_picture_owner();
