-- The recycle-bin purge deletes a mailbox's row at once; its mail data (the home Dovecot keys by
-- mailbox id) is wiped through doveadm, which may be unreachable or not configured at that moment.
-- One row per purged mailbox whose mail is still to be wiped: a job wipes it once doveadm answers
-- and then deletes the row. No foreign key to the organization: the mail must go even if the
-- organization goes first.
create table mailroom.mail_wipes (
  mailbox_id       uuid primary key,
  org_id           uuid not null,
  address          text not null,
  kind             text not null check (kind in ('regular', 'shared')),
  requested_at     timestamptz not null default now(),
  attempts         integer not null default 0 check (attempts >= 0),
  next_attempt_at  timestamptz not null default now(),
  last_error       text check (length(last_error) <= 500)
);
create index mail_wipes_due_idx on mailroom.mail_wipes (next_attempt_at);

alter table mailroom.mail_wipes enable row level security;
alter table mailroom.mail_wipes force row level security;
create policy mail_wipes_tenant on mailroom.mail_wipes
  using (org_id = mailroom.current_org_id())
  with check (org_id = mailroom.current_org_id());
-- the wipe job looks across organizations read-only, then enters each one to change its rows
create policy mail_wipes_operator_read on mailroom.mail_wipes for select using (mailroom.operator_mode());

-- Dovecot finds the home of a purged mailbox through userdb, under a name no address can take
-- (no "@"): doveadm wipes "purged-<mailbox id>". Nobody signs in or receives mail as it: passdb,
-- the master passdb and Postfix's maps never list it, and iterate_query lists active ones only.
grant select on mailroom.mail_wipes to ${mailplane_role}_views;
create policy mail_wipes_mailplane on mailroom.mail_wipes for select to ${mailplane_role}_views using (true);

create or replace view mailplane.userdb as
  select m.address as "user", m.id as mailbox_id, m.kind, m.status,
         coalesce(m.storage_allocation_mb, 0)::bigint * 1048576 as quota_bytes
  from mailroom.mailboxes m
  union all
  select 'purged-' || w.mailbox_id, w.mailbox_id, w.kind, 'purged', 0::bigint
  from mailroom.mail_wipes w;
