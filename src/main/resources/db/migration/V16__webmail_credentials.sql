-- Webmail reaches Dovecot with a credential tied to one web session (issue 28, DESIGN.md §3): its
-- secret is an HMAC (server secret) over the session's stable id and the credential id, so any
-- instance recomputes it and nothing here could open a mailbox: only a SHA-256 of it is stored, in
-- Dovecot's {SHA256.HEX} form. The credential dies with its web session (sign-out, expiry, and the
-- sessions a password change or a disabled login ends) and the views below admit it only while the
-- session lives and the person may sign in; whether it opens a mailbox is the same rule as for a
-- desktop client (own login, shared membership, grant).
create table mailroom.webmail_credentials (
  id                 uuid primary key,
  session_primary_id char(36) not null references mailroom.spring_session (primary_id) on delete cascade,
  user_id            uuid not null references mailroom.users (id) on delete cascade,
  secret_hash        text not null,
  created_at         timestamptz not null default now()
);
create index webmail_credentials_session_idx on mailroom.webmail_credentials (session_primary_id);
create index webmail_credentials_user_idx on mailroom.webmail_credentials (user_id);

grant select on mailroom.webmail_credentials, mailroom.spring_session to ${mailplane_role}_views;

-- The credentials whose web session has not expired (expiry_time is in milliseconds).
create view mailplane.webmail_credentials as
  select c.id as credential_id, c.user_id, c.secret_hash as password
  from mailroom.webmail_credentials c
  join mailroom.spring_session s on s.primary_id = c.session_primary_id
  where s.expiry_time > (extract(epoch from now()) * 1000)::bigint;

-- Webmail's own-mailbox logins: the regular active mailbox whose login the person is (as passdb).
create view mailplane.webmail_logins as
  select m.address as "user", c.credential_id, c.password
  from mailplane.webmail_credentials c
  join mailroom.users u on u.id = c.user_id and u.login_enabled
  join mailroom.mailboxes m on m.login_user_id = u.id and m.kind = 'regular' and m.status = 'active'
  join mailroom.domains d on d.id = m.domain_id and d.status = 'active';

-- Webmail's master logins ("mailbox*login"): shared memberships and grants, as mailplane.access.
create view mailplane.webmail_access as
  select s.address as mailbox, mm.address as login, c.credential_id, c.password, sm.permission
  from mailroom.shared_members sm
  join mailroom.mailboxes s on s.id = sm.shared_mailbox_id and s.status = 'active'
  join mailroom.mailboxes mm on mm.id = sm.member_mailbox_id and mm.status = 'active'
  join mailroom.users u on u.id = mm.login_user_id and u.login_enabled
  join mailplane.webmail_credentials c on c.user_id = u.id
  union all
  select m.address, u.email, c.credential_id, c.password, g.permission
  from mailroom.grants g
  join mailroom.mailboxes m on m.id = g.mailbox_id and m.status = 'active'
  join mailroom.users u on u.id = g.user_id and u.login_enabled
  join mailplane.webmail_credentials c on c.user_id = u.id
  where g.access_until is null or g.access_until > now();

alter view mailplane.webmail_credentials owner to ${mailplane_role}_views;
alter view mailplane.webmail_logins owner to ${mailplane_role}_views;
alter view mailplane.webmail_access owner to ${mailplane_role}_views;

grant select on mailplane.webmail_logins, mailplane.webmail_access to ${mailplane_role};
