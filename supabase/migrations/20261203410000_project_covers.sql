-- A project's cover picture, for the EPUB export (issue 14: "cover when set").
--
-- The writer uploads a picture; the web server checks it, re-encodes it as a JPEG of ebook-store size, stores it in the
-- private `covers` bucket at `<project_id>/<upload id>/cover.jpg` and points project_covers at it. Like the export files,
-- the bytes are written only by the service role once RLS on project_covers has allowed the change (editors and the
-- owner); members read the row, and the bucket's read policy lets members read the object.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('covers', 'covers', false, 5 * 1024 * 1024, array['image/jpeg'])
on conflict (id) do update
  set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types;

create policy "covers: members read their project's cover" on storage.objects for select to authenticated
  using (bucket_id = 'covers' and private.has_role(private.object_project(name), null, 'viewer'));

create table public.project_covers (
  project_id uuid primary key references public.projects (id) on delete cascade,
  -- the object's name in the covers bucket, always under the project's own folder
  path text not null check (char_length(path) <= 1024 and split_part(path, '/', 1) = project_id::text),
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  size_bytes integer not null check (size_bytes > 0),
  updated_by uuid default auth.uid() references auth.users (id) on delete set null,
  updated_at timestamptz not null default now()
);
create index project_covers_updated_by_idx on public.project_covers (updated_by);
create trigger project_covers_touch before update on public.project_covers for each row execute function private.touch_updated_at();

alter table public.project_covers enable row level security;
create policy "covers: members read" on public.project_covers for select to authenticated
  using (private.has_role(project_id, null, 'viewer'));
create policy "covers: editors set" on public.project_covers for insert to authenticated
  with check (private.has_role(project_id, null, 'editor'));
create policy "covers: editors replace" on public.project_covers for update to authenticated
  using (private.has_role(project_id, null, 'editor')) with check (private.has_role(project_id, null, 'editor'));
create policy "covers: editors remove" on public.project_covers for delete to authenticated
  using (private.has_role(project_id, null, 'editor'));
grant select, insert, update, delete on public.project_covers to authenticated;
grant all on public.project_covers to service_role;

-- A project deleted with its cover leaves the picture's folder for the storage cleanup (private.storage_garbage);
-- a replaced or removed cover is deleted by the command that replaced it, which knows it went through.
create function private.queue_cover_garbage() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.projects where id = old.project_id) then
    insert into private.storage_garbage (bucket_id, folder) values ('covers', private.object_folder(old.path));
  end if;
  return null;
end
$$;
revoke all on function private.queue_cover_garbage() from public;
create trigger project_covers_garbage after delete on public.project_covers
  for each row execute function private.queue_cover_garbage();

create trigger project_covers_live after insert or update or delete on public.project_covers
  for each row execute function private.notify_live();
