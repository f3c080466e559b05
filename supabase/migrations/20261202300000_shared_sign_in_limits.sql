-- Failed sign-ins of the embedded auth, shared by every web instance on this database. The limiter used to count in
-- one process's memory, so N web instances each allowed the full rate; counting here makes them enforce one limit.
-- Rows are per failure (a sliding window, as before) and carry their own expiry, so limiters with different windows
-- can share the table and any of them may sweep what has expired. Supabase Auth has its own limits and never
-- touches this table.

create table private.sign_in_failures (
  key text not null check (char_length(key) <= 400),
  failed_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sign_in_failures_key_idx on private.sign_in_failures (key, expires_at);
create index sign_in_failures_expires_idx on private.sign_in_failures (expires_at);

-- Only the auth server's own connection (service_role) reads and writes it; nobody signed in sees it.
alter table private.sign_in_failures enable row level security;
revoke all on private.sign_in_failures from public, anon, authenticated;
grant select, insert, delete on private.sign_in_failures to service_role;
