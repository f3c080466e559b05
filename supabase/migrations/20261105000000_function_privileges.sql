-- Postgres lets PUBLIC execute every new function unless told otherwise, and a per-schema ALTER DEFAULT PRIVILEGES
-- can only add to that global default, never take from it: the core migration's "revoke all on functions from
-- public" in schema public therefore changed nothing. The global default is revoked here for the role that runs
-- migrations, and the PUBLIC grant is taken off the functions that already exist. Every function a role needs keeps
-- (or gets) an explicit grant; trigger functions need none, Postgres does not check EXECUTE when a trigger fires.

alter default privileges revoke execute on functions from public;

revoke execute on all functions in schema public from public;
revoke execute on all functions in schema private from public;

-- Named explicitly so the list is the whole story of what signed-in users may call in private.
grant execute on function
  private.has_role(uuid, uuid, text),
  private.role_rank(text),
  private.tier_limit(text, text),
  private.owner_tier(uuid),
  private.document_project(uuid),
  private.is_own_object_name(text, uuid)
  to authenticated, service_role;

-- Check constraints on the template tables call these; only service_role (and the migrator) writes those tables.
grant execute on function private.beats_valid(jsonb), private.template_documents_valid(jsonb) to service_role;
