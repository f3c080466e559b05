-- Characters and their arcs join the structure boards' live mechanism (20261202100000): a row version raised on
-- every update so a stale write is refused, and a quire_live notification on every change. Characters also get
-- free tags, for filtering the cast.

alter table public.characters
  add column version integer not null default 1,
  add column tags text[] not null default '{}' check (cardinality(tags) <= 50);
alter table public.character_arcs add column version integer not null default 1;

create trigger characters_version before update on public.characters for each row execute function private.bump_version();
create trigger character_arcs_version before update on public.character_arcs for each row execute function private.bump_version();

create trigger characters_live after insert or update or delete on public.characters
  for each row execute function private.notify_live();
create trigger character_arcs_live after insert or update or delete on public.character_arcs
  for each row execute function private.notify_live();

create index characters_tags_idx on public.characters using gin (tags);
