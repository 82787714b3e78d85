-- The application role: owns nothing, has no BYPASSRLS. The embedded database creates it as a
-- login role before migrating; against an external server it is created here (NOLOGIN) and the
-- application switches to it with SET ROLE on every pooled connection.
do $$
begin
  if not exists (select from pg_roles where rolname = '${app_role}') then
    execute format('create role %I nologin nobypassrls', '${app_role}');
  end if;
  -- PostgreSQL 16 gives a role's creator ADMIN but not SET on it: ask for SET explicitly
  if current_setting('server_version_num')::int >= 160000 then
    if not pg_has_role(current_user, '${app_role}', 'SET') then
      execute format('grant %I to %I with set true', '${app_role}', current_user);
    end if;
  elsif not pg_has_role(current_user, '${app_role}', 'MEMBER') then
    execute format('grant %I to %I', '${app_role}', current_user);
  end if;
end
$$;

grant usage on schema mailroom to ${app_role};
alter default privileges in schema mailroom grant select, insert, update, delete on tables to ${app_role};
alter default privileges in schema mailroom grant usage, select on sequences to ${app_role};
alter default privileges in schema mailroom grant execute on functions to ${app_role};

-- The organization (and user) a transaction acts for: set with set_config(..., true), so it
-- dies with the transaction and never leaks to the next borrower of a pooled connection.
create function mailroom.current_org_id() returns uuid
  language sql stable
  as $$ select nullif(current_setting('mailroom.org_id', true), '')::uuid $$;

-- The operator may look up (never change) any organization and domain, in a transaction that
-- says so explicitly; changes still go through the organization's own setting.
create function mailroom.operator_mode() returns boolean
  language sql stable
  as $$ select coalesce(current_setting('mailroom.operator', true), '') = 'on' $$;

create function mailroom.current_user_id() returns uuid
  language sql stable
  as $$ select nullif(current_setting('mailroom.user_id', true), '')::uuid $$;

create table mailroom.plans (
  code                 text primary key,
  name                 text not null,
  domains              integer not null,
  mailboxes_per_domain integer not null,
  shared_per_domain    integer not null,
  active_mailboxes     integer not null,
  archived_mailboxes   integer not null,
  storage_pool_mb      bigint not null,
  seats                integer not null,
  api_calls_per_day    integer not null,
  invites_per_batch    integer not null,
  paid                 boolean not null
);

insert into mailroom.plans values
  ('free',     'Free',        1,   10,  1,    10,    10,    5120,  1,   1000, 500, false),
  ('hobbyist', 'Hobbyist',    3,   25,  2,    50,    25,   20480,  1,   5000, 500, true),
  ('starter',  'Starter',     5,  100,  5,   300,   100,  102400,  1,  10000, 500, true),
  ('pro',      'Pro',        20,  300, 15,  1500,   500,  512000,  1,  50000, 500, true),
  ('agency',   'Agency',    100, 1000, 30, 10000,  2000, 2048000,  1, 200000, 500, true),
  ('team',     'Team',       20,  200, 15,   200,  1000,  204800,  5,  50000, 500, true);

create table mailroom.organizations (
  id              uuid primary key,
  name            text not null check (length(name) between 1 and 200),
  plan            text not null references mailroom.plans (code),
  limit_overrides jsonb not null default '{}'::jsonb,
  personal        boolean not null default false,
  created_at      timestamptz not null default now()
);

create table mailroom.users (
  id            uuid primary key,
  email         text not null check (email = lower(email)),
  name          text not null,
  password_hash text not null,
  created_at    timestamptz not null default now(),
  last_sign_in_at timestamptz
);
create unique index users_email_key on mailroom.users (email);

create table mailroom.memberships (
  org_id    uuid not null references mailroom.organizations (id) on delete cascade,
  user_id   uuid not null references mailroom.users (id) on delete cascade,
  role      text not null check (role in ('owner', 'admin', 'member')),
  joined_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
create index memberships_user_idx on mailroom.memberships (user_id);

create table mailroom.api_keys (
  id           uuid primary key,
  org_id       uuid not null references mailroom.organizations (id) on delete cascade,
  user_id      uuid not null references mailroom.users (id) on delete cascade,
  name         text not null check (length(name) between 1 and 100),
  secret_hash  bytea not null,
  scopes       text[] not null,
  domain_ids   uuid[],
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  foreign key (org_id, user_id) references mailroom.memberships (org_id, user_id) on delete cascade
);
create index api_keys_org_idx on mailroom.api_keys (org_id, created_at);

-- Daily API calls: one counter per organization (the limit) and one per user (usage reports).
create table mailroom.api_usage (
  org_id  uuid not null references mailroom.organizations (id) on delete cascade,
  user_id uuid not null,
  day     date not null,
  calls   integer not null,
  primary key (org_id, day, user_id)
);
create table mailroom.api_quota (
  org_id uuid not null references mailroom.organizations (id) on delete cascade,
  day    date not null,
  calls  integer not null,
  primary key (org_id, day)
);

create table mailroom.audit_events (
  id        uuid primary key,
  org_id    uuid not null references mailroom.organizations (id) on delete cascade,
  at        timestamptz not null default now(),
  actor     text not null,
  action    text not null,
  target    text,
  ip        text,
  details   jsonb not null default '{}'::jsonb
);
create index audit_events_org_at_idx on mailroom.audit_events (org_id, at desc, id desc);

create table mailroom.domains (
  id                 uuid primary key,
  org_id             uuid not null references mailroom.organizations (id) on delete cascade,
  name               text not null,
  status             text not null check (status in ('pending', 'active')),
  verification_token text not null,
  created_at         timestamptz not null default now(),
  verified_at        timestamptz,
  unique (org_id, id)
);
-- A domain belongs to one organization at a time, whatever its status.
create unique index domains_name_key on mailroom.domains (name);
create index domains_org_idx on mailroom.domains (org_id, created_at, id);

-- Row-level security: the second line of tenant isolation, behind the services' own checks.
alter table mailroom.organizations enable row level security;
alter table mailroom.organizations force row level security;
create policy organizations_tenant on mailroom.organizations
  using (id = mailroom.current_org_id()
         or exists (select 1 from mailroom.memberships m
                     where m.org_id = organizations.id and m.user_id = mailroom.current_user_id()))
  with check (id = mailroom.current_org_id());

create policy organizations_operator_read on mailroom.organizations for select using (mailroom.operator_mode());

alter table mailroom.memberships enable row level security;
alter table mailroom.memberships force row level security;
create policy memberships_tenant on mailroom.memberships
  using (org_id = mailroom.current_org_id() or user_id = mailroom.current_user_id())
  with check (org_id = mailroom.current_org_id());

alter table mailroom.api_keys enable row level security;
alter table mailroom.api_keys force row level security;
create policy api_keys_tenant on mailroom.api_keys
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());

alter table mailroom.api_usage enable row level security;
alter table mailroom.api_usage force row level security;
create policy api_usage_tenant on mailroom.api_usage
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());

alter table mailroom.api_quota enable row level security;
alter table mailroom.api_quota force row level security;
create policy api_quota_tenant on mailroom.api_quota
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());

alter table mailroom.audit_events enable row level security;
alter table mailroom.audit_events force row level security;
create policy audit_events_tenant on mailroom.audit_events
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());

alter table mailroom.domains enable row level security;
alter table mailroom.domains force row level security;
create policy domains_tenant on mailroom.domains
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());

create policy domains_operator_read on mailroom.domains for select using (mailroom.operator_mode());

-- Stored responses for Idempotency-Key retries; keyed by the caller, kept 24 hours.
create table mailroom.idempotency_records (
  principal    text not null,
  key          text not null,
  request_hash bytea not null,
  status       integer,
  content_type text,
  location     text,
  body         bytea,
  created_at   timestamptz not null default now(),
  primary key (principal, key)
);
create index idempotency_records_created_idx on mailroom.idempotency_records (created_at);

-- bucket4j's PostgreSQL proxy manager (rate limits shared by every app instance).
create table mailroom.rate_limit_buckets (
  id         text primary key,
  state      bytea,
  expires_at bigint
);

-- Spring Session (web sessions live in the database, so instances are stateless).
create table mailroom.spring_session (
  primary_id            char(36) not null,
  session_id            char(36) not null,
  creation_time         bigint not null,
  last_access_time      bigint not null,
  max_inactive_interval int not null,
  expiry_time           bigint not null,
  principal_name        varchar(100),
  constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on mailroom.spring_session (session_id);
create index spring_session_ix2 on mailroom.spring_session (expiry_time);
create index spring_session_ix3 on mailroom.spring_session (principal_name);

create table mailroom.spring_session_attributes (
  session_primary_id char(36) not null,
  attribute_name     varchar(200) not null,
  attribute_bytes    bytea not null,
  constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
  constraint spring_session_attributes_fk foreign key (session_primary_id)
    references mailroom.spring_session (primary_id) on delete cascade
);

grant select, insert, update, delete on all tables in schema mailroom to ${app_role};
grant execute on all functions in schema mailroom to ${app_role};
