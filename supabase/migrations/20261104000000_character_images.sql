-- Character and location pictures. The bucket is public so an <img> can load a picture by URL without a token;
-- everything that goes through the storage API (upload, list, replace, delete) is held to the uploader's own folder,
-- `<auth.uid()>/<file>`, by the policies below.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('character-images', 'character-images', true, 5 * 1024 * 1024,
        array['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
on conflict (id) do update
  set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types;

-- True when p_name is a plain path inside p_uid's folder. Any '..', '.' or empty segment is refused outright rather
-- than normalised: the folder check compares text, and a name that resolves somewhere else must never pass it.
create function private.is_own_object_name(p_name text, p_uid uuid) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_uid is not null and p_name is not null
     and char_length(p_name) <= 1024
     and split_part(p_name, '/', 1) = p_uid::text
     and cardinality(string_to_array(p_name, '/')) >= 2
     and not ('' = any (string_to_array(p_name, '/')) or '.' = any (string_to_array(p_name, '/'))
              or '..' = any (string_to_array(p_name, '/')))
     and p_name !~ '[\\[:cntrl:]]'
$$;
revoke all on function private.is_own_object_name(text, uuid) from public;
grant execute on function private.is_own_object_name(text, uuid) to authenticated, service_role;

create policy "character images: read own folder" on storage.objects for select to authenticated
  using (bucket_id = 'character-images' and private.is_own_object_name(name, (select auth.uid())));
create policy "character images: upload to own folder" on storage.objects for insert to authenticated
  with check (bucket_id = 'character-images' and private.is_own_object_name(name, (select auth.uid())));
create policy "character images: replace in own folder" on storage.objects for update to authenticated
  using (bucket_id = 'character-images' and private.is_own_object_name(name, (select auth.uid())))
  with check (bucket_id = 'character-images' and private.is_own_object_name(name, (select auth.uid())));
create policy "character images: delete from own folder" on storage.objects for delete to authenticated
  using (bucket_id = 'character-images' and private.is_own_object_name(name, (select auth.uid())));
