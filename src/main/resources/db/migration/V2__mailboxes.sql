-- A regular mailbox is a login: its user row carries the password hash Dovecot checks. Such
-- users have no personal organization; login_enabled is off while the mailbox is archived or
-- in the recycle bin. Recovery codes are kept as keyed hashes (HMAC with the server secret).
alter table mailroom.users add column mailbox_login boolean not null default false;
alter table mailroom.users add column login_enabled boolean not null default true;
alter table mailroom.users add column recovery_code_hash bytea;

create table mailroom.mailboxes (
  id                    uuid primary key,
  org_id                uuid not null references mailroom.organizations (id) on delete cascade,
  domain_id             uuid not null,
  local_part            text not null check (local_part = lower(local_part) and length(local_part) between 1 and 64),
  address               text not null,
  kind                  text not null check (kind in ('regular', 'shared')),
  status                text not null check (status in ('active', 'archived', 'trashed')),
  display_name          text check (length(display_name) <= 200),
  storage_allocation_mb integer check (storage_allocation_mb > 0),
  login_user_id         uuid references mailroom.users (id) on delete set null,
  owner_user_id         uuid references mailroom.users (id) on delete set null,
  created_at            timestamptz not null default now(),
  archived_at           timestamptz,
  trashed_at            timestamptz,
  purge_at              timestamptz,
  foreign key (org_id, domain_id) references mailroom.domains (org_id, id),
  unique (domain_id, local_part),
  unique (org_id, id),
  check (kind = 'regular' or login_user_id is null),
  check ((status = 'trashed') = (purge_at is not null))
);
create unique index mailboxes_address_key on mailroom.mailboxes (address);
create index mailboxes_org_created_idx on mailroom.mailboxes (org_id, created_at, id);
create index mailboxes_domain_status_idx on mailroom.mailboxes (domain_id, status);
create index mailboxes_purge_idx on mailroom.mailboxes (purge_at) where purge_at is not null;
create index mailboxes_login_idx on mailroom.mailboxes (login_user_id);

alter table mailroom.mailboxes enable row level security;
alter table mailroom.mailboxes force row level security;
create policy mailboxes_tenant on mailroom.mailboxes
  using (org_id = mailroom.current_org_id()
         or (login_user_id is not null and login_user_id = mailroom.current_user_id()))
  with check (org_id = mailroom.current_org_id());
-- system jobs (the recycle-bin purge) look across organizations in operator mode, read-only,
-- then enter each organization to change its rows
create policy mailboxes_operator_read on mailroom.mailboxes for select using (mailroom.operator_mode());
