-- Members of shared mailboxes: each member is a regular mailbox of the same organization (any
-- domain), with a permission. A shared mailbox has no login; its members open it with their own.
create table mailroom.shared_members (
  org_id            uuid not null references mailroom.organizations (id) on delete cascade,
  shared_mailbox_id uuid not null,
  member_mailbox_id uuid not null,
  permission        text not null check (permission in ('reply', 'read_only')),
  added_at          timestamptz not null default now(),
  primary key (shared_mailbox_id, member_mailbox_id),
  foreign key (org_id, shared_mailbox_id) references mailroom.mailboxes (org_id, id) on delete cascade,
  foreign key (org_id, member_mailbox_id) references mailroom.mailboxes (org_id, id) on delete cascade,
  check (shared_mailbox_id <> member_mailbox_id)
);
create index shared_members_member_idx on mailroom.shared_members (member_mailbox_id);

alter table mailroom.shared_members enable row level security;
alter table mailroom.shared_members force row level security;
create policy shared_members_tenant on mailroom.shared_members
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());
