-- Email verification (issue 15): a sign-up waits here, outside mailroom.users, until its emailed
-- one-time link is used. An unverified person is no user at all, so they own, join and are
-- granted nothing, appear nowhere a tenant looks, and block no address: whoever creates a real
-- account for the email (a mailbox login, an invite, the operator, a later sign-up) replaces the
-- row. The link is an HMAC over the id and the version (no token stored); a repeated sign-up
-- bumps the version, so the older link dies.
create table mailroom.email_verifications (
  id            uuid primary key,
  email         text not null check (email = lower(email)),
  name          text not null,
  password_hash text,
  version       integer not null default 1,
  sent_at       timestamptz not null default now(),
  created_at    timestamptz not null default now(),
  verified_at   timestamptz,
  check ((verified_at is null) = (password_hash is not null))
);
create unique index email_verifications_pending_key on mailroom.email_verifications (email)
  where verified_at is null;

-- The operator names an owner email that already has an account: the organization is created
-- without an owner and that account becomes owner only when it accepts this emailed invitation.
create table mailroom.ownership_invitations (
  id          uuid primary key,
  org_id      uuid not null references mailroom.organizations (id) on delete cascade,
  user_id     uuid not null references mailroom.users (id) on delete cascade,
  email       text not null,
  version     integer not null default 1,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  accepted_at timestamptz
);
create index ownership_invitations_org_idx on mailroom.ownership_invitations (org_id);

alter table mailroom.ownership_invitations enable row level security;
alter table mailroom.ownership_invitations force row level security;
create policy ownership_invitations_tenant on mailroom.ownership_invitations
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());

-- Sign-up emails belong to no organization: such rows are seen only by a transaction that acts
-- for none (the public sign-up, the dispatcher's claim), never by a tenant's.
alter table mailroom.outbox_messages alter column org_id drop not null;
create policy outbox_system on mailroom.outbox_messages
  using (org_id is null and mailroom.current_org_id() is null)
  with check (org_id is null and mailroom.current_org_id() is null);
