-- Generator metadata is what a model wrote: the model, temperature and prompt of a generated outline, and the model of
-- a plot analysis run. Writers read it (the Outline tab shows it) but never change it by hand: the API has no field
-- for it, and from now on the database refuses an update of it by a signed-in writer, whatever the client. The
-- service role (the AI jobs, through withService) still writes it; inserting a generated row is unchanged.

create function private.guard_generator_metadata() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_old jsonb := to_jsonb(old);
  v_new jsonb := to_jsonb(new);
  v_column text;
begin
  if current_user not in ('authenticated', 'anon') then
    return new;
  end if;
  foreach v_column in array tg_argv loop
    if v_new -> v_column is distinct from v_old -> v_column then
      raise exception 'Generator metadata (%) is written by the generator and cannot be changed by hand.', v_column
        using errcode = '42501';
    end if;
  end loop;
  return new;
end
$$;

create trigger outlines_generator_metadata before update of model, temperature, prompt on public.outlines
  for each row execute function private.guard_generator_metadata('model', 'temperature', 'prompt');
create trigger plot_analyses_generator_metadata before update of model on public.plot_analyses
  for each row execute function private.guard_generator_metadata('model');
