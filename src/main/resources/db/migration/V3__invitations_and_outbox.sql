-- Invitations of every kind share one lifecycle. A link is an HMAC over (organization, invite,
-- link_version) with the server secret: neither the token nor a hash of it is stored, and
-- bumping link_version (resend, re-address) kills every older link at once.
create table mailroom.invites (
  id                    uuid primary key,
  org_id                uuid not null references mailroom.organizations (id) on delete cascade,
  kind                  text not null check (kind in ('mailbox_setup', 'address_access', 'team')),
  status                text not null check (status in ('pending', 'accepted', 'expired', 'canceled')),
  link_version          integer not null default 1 check (link_version >= 1),
  domain_id             uuid,
  recipient_email       text,
  local_part            text,
  storage_allocation_mb integer check (storage_allocation_mb > 0),
  batch_id              uuid,
  language              text not null default 'en' check (language in ('en', 'fr', 'de')),
  invited_by_user_id    uuid references mailroom.users (id) on delete set null,
  invited_by_name       text not null,
  valid_hours           integer not null check (valid_hours between 1 and 720),
  expires_at            timestamptz not null,
  created_at            timestamptz not null default now(),
  last_sent_at          timestamptz,
  send_count            integer not null default 0,
  mailbox_id            uuid,
  accepted_at           timestamptz,
  canceled_at           timestamptz,
  foreign key (org_id, domain_id) references mailroom.domains (org_id, id),
  check (kind <> 'mailbox_setup' or domain_id is not null)
);
create index invites_org_created_idx on mailroom.invites (org_id, created_at, id);
create index invites_pending_domain_idx on mailroom.invites (domain_id) where status = 'pending';
create index invites_expiry_idx on mailroom.invites (expires_at) where status = 'pending';
-- one pending setup invite per address: two people cannot be promised the same mailbox
create unique index invites_pending_address_key on mailroom.invites (domain_id, local_part)
  where status = 'pending' and kind = 'mailbox_setup' and local_part is not null;

alter table mailroom.invites enable row level security;
alter table mailroom.invites force row level security;
create policy invites_tenant on mailroom.invites
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());
create policy invites_operator_read on mailroom.invites for select using (mailroom.operator_mode());

-- The transactional outbox: a message row commits with the change that causes it and is
-- delivered afterwards by whichever instance claims it. It stores what to render (a template
-- and its parameters), never a rendered link: links are recomputed at delivery time.
create table mailroom.outbox_messages (
  id              uuid primary key,
  org_id          uuid not null references mailroom.organizations (id) on delete cascade,
  template        text not null,
  language        text not null default 'en',
  recipient       text not null,
  parameters      jsonb not null default '{}'::jsonb,
  reference       text,
  status          text not null check (status in ('queued', 'sending', 'sent', 'failed')),
  attempts        integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  claimed_until   timestamptz,
  last_error      text,
  transport       text,
  created_at      timestamptz not null default now(),
  sent_at         timestamptz
);
create index outbox_due_idx on mailroom.outbox_messages (next_attempt_at) where status in ('queued', 'sending');
create index outbox_reference_idx on mailroom.outbox_messages (org_id, reference, created_at);
create index outbox_org_created_idx on mailroom.outbox_messages (org_id, created_at desc);

alter table mailroom.outbox_messages enable row level security;
alter table mailroom.outbox_messages force row level security;
create policy outbox_tenant on mailroom.outbox_messages
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());
create policy outbox_operator_read on mailroom.outbox_messages for select using (mailroom.operator_mode());
