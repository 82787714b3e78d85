-- Address-access invites share the invitation lifecycle: they name the mailbox they open and
-- the permission (and, optionally, until when) the guest will have.
alter table mailroom.invites add column target_mailbox_id uuid;
alter table mailroom.invites add column permission text check (permission in ('reply', 'read_only'));
alter table mailroom.invites add column access_until timestamptz;
alter table mailroom.invites add constraint invites_target_fk
  foreign key (org_id, target_mailbox_id) references mailroom.mailboxes (org_id, id) on delete cascade;
alter table mailroom.invites add constraint invites_address_access_check
  check (kind <> 'address_access' or (target_mailbox_id is not null and permission is not null));
create index invites_target_idx on mailroom.invites (target_mailbox_id) where target_mailbox_id is not null;

-- Grants: a user (inside or outside the organization) may open one mailbox's content.
create table mailroom.grants (
  org_id       uuid not null references mailroom.organizations (id) on delete cascade,
  mailbox_id   uuid not null,
  user_id      uuid not null references mailroom.users (id) on delete cascade,
  permission   text not null check (permission in ('reply', 'read_only')),
  granted_at   timestamptz not null default now(),
  access_until timestamptz,
  invite_id    uuid,
  primary key (mailbox_id, user_id),
  foreign key (org_id, mailbox_id) references mailroom.mailboxes (org_id, id) on delete cascade
);
create index grants_user_idx on mailroom.grants (user_id);

alter table mailroom.grants enable row level security;
alter table mailroom.grants force row level security;
-- the organization manages its grants; a guest may read the grants made to them
create policy grants_tenant on mailroom.grants
  using (org_id = mailroom.current_org_id() or user_id = mailroom.current_user_id())
  with check (org_id = mailroom.current_org_id());
