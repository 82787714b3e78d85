-- Teams. Membership itself is the memberships table (role 'member'); team invites are invites of
-- kind 'team' (the invitation lifecycle). What is new: removing a member takes their mailboxes out
-- of the organization at once, but the operator may bring them back for 24 hours.

-- pending team invites hold seats: counted under the organization's lock at every invite
create index invites_pending_team_idx on mailroom.invites (org_id, recipient_email)
  where kind = 'team' and status = 'pending';

-- One row per removal of a member: when, by whom, and whether the operator restored what it took.
create table mailroom.team_removals (
  id             uuid primary key,
  org_id         uuid not null references mailroom.organizations (id) on delete cascade,
  user_id        uuid not null references mailroom.users (id) on delete cascade,
  email          text not null,
  removed_at     timestamptz not null default now(),
  removed_by     text not null,
  mailbox_count  integer not null check (mailbox_count >= 0),
  restored_at    timestamptz
);
create index team_removals_user_idx on mailroom.team_removals (org_id, user_id, removed_at desc);

alter table mailroom.team_removals enable row level security;
alter table mailroom.team_removals force row level security;
create policy team_removals_tenant on mailroom.team_removals
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());

-- A mailbox trashed with a removed member names the removal (no foreign key: the mailbox module
-- does not reach into the team's table). Such a mailbox is gone for the organization — not in its
-- lists, not in its recycle bin — while it waits for the purge or the operator's restore; the
-- status it had is kept so that a restore puts it back as it was.
alter table mailroom.mailboxes add column removal_id uuid;
alter table mailroom.mailboxes add column status_before_removal text
  check (status_before_removal in ('active', 'archived'));
alter table mailroom.mailboxes add constraint mailboxes_removal_check
  check ((removal_id is null) = (status_before_removal is null) and (removal_id is null or status = 'trashed'));
create index mailboxes_removal_idx on mailroom.mailboxes (removal_id) where removal_id is not null;
