-- The mail-plane contract (DESIGN.md §1.10, MAILPLANE.md): Postfix and Dovecot read the
-- directory straight from these read-only views, so there is nothing to sync and nothing drifts.
--
-- Two roles:
--   ${mailplane_role}        the login Dovecot, Postfix and the milter use: SELECT on these views,
--                            nothing else, read-only transactions. Its password is set by the app.
--   ${mailplane_role}_views  owns the views (they run as their owner). It cannot log in; the
--                            tenant tables admit it read-only through policies of its own, so the
--                            views see every organization while FORCE RLS stays on for everyone else.
do $$
begin
  if not exists (select from pg_roles where rolname = '${mailplane_role}_views') then
    execute format('create role %I nologin nobypassrls', '${mailplane_role}_views');
  end if;
  if not exists (select from pg_roles where rolname = '${mailplane_role}') then
    execute format('create role %I nologin nobypassrls', '${mailplane_role}');
  end if;
  -- PostgreSQL 16 gives a role's creator ADMIN but not SET on it; ALTER ... OWNER TO needs SET
  if current_setting('server_version_num')::int >= 160000 then
    if not pg_has_role(current_user, '${mailplane_role}_views', 'SET') then
      execute format('grant %I to %I with set true', '${mailplane_role}_views', current_user);
    end if;
  elsif not pg_has_role(current_user, '${mailplane_role}_views', 'MEMBER') then
    execute format('grant %I to %I', '${mailplane_role}_views', current_user);
  end if;
  execute format('alter role %I set default_transaction_read_only = on', '${mailplane_role}');
end
$$;

create schema mailplane;
grant usage on schema mailroom to ${mailplane_role}_views;
grant usage, create on schema mailplane to ${mailplane_role}_views;
grant usage on schema mailplane to ${mailplane_role};
-- not the application role: the views see every organization, and it must see only its tenant's rows

grant select on mailroom.organizations, mailroom.memberships, mailroom.users, mailroom.domains,
  mailroom.mailboxes, mailroom.shared_members, mailroom.grants to ${mailplane_role}_views;

create policy organizations_mailplane on mailroom.organizations for select to ${mailplane_role}_views using (true);
create policy memberships_mailplane on mailroom.memberships for select to ${mailplane_role}_views using (true);
create policy domains_mailplane on mailroom.domains for select to ${mailplane_role}_views using (true);
create policy mailboxes_mailplane on mailroom.mailboxes for select to ${mailplane_role}_views using (true);
create policy shared_members_mailplane on mailroom.shared_members for select to ${mailplane_role}_views using (true);
create policy grants_mailplane on mailroom.grants for select to ${mailplane_role}_views using (true);

-- Domains that receive mail: verified ones.
create view mailplane.domains as
  select d.name as domain, d.id as domain_id, d.org_id
  from mailroom.domains d
  where d.status = 'active';

-- Mailboxes that receive mail (Postfix) and have a home (Dovecot): active ones, regular and shared.
-- The home is keyed by the mailbox id, so an address reused after a purge starts empty.
-- quota_bytes is the dedicated storage allocation; 0 = no quota of its own (drawn from the pool).
create view mailplane.mailboxes as
  select m.address, m.id as mailbox_id, m.kind, d.name as domain, m.local_part, m.org_id,
         coalesce(m.storage_allocation_mb, 0)::bigint * 1048576 as quota_bytes
  from mailroom.mailboxes m
  join mailroom.domains d on d.id = m.domain_id and d.status = 'active'
  where m.status = 'active';

-- Dovecot userdb: every mailbox with mail data, also archived and trashed ones, so that doveadm
-- can report their usage and wipe them at purge. Nobody logs in or delivers to those: passdb, the
-- master passdb and Postfix's maps list active mailboxes only.
create view mailplane.userdb as
  select m.address as "user", m.id as mailbox_id, m.kind, m.status,
         coalesce(m.storage_allocation_mb, 0)::bigint * 1048576 as quota_bytes
  from mailroom.mailboxes m;

-- Dovecot passdb: the logins. A regular active mailbox signs in with its own password (the same
-- {ARGON2ID} hash the web app checks); a shared mailbox has no row at all. People who hold an
-- address grant but no mailbox of their own get a row for SMTP submission only (mailbox = false):
-- they send as the granted address with their own password.
create view mailplane.passdb as
  select m.address as "user", u.password_hash as password, true as mailbox
  from mailroom.mailboxes m
  join mailroom.domains d on d.id = m.domain_id and d.status = 'active'
  join mailroom.users u on u.id = m.login_user_id
  where m.kind = 'regular' and m.status = 'active' and u.login_enabled
  union all
  select u.email, u.password_hash, false
  from mailroom.users u
  where not u.mailbox_login and u.login_enabled
    and exists (select from mailroom.grants g
                join mailroom.mailboxes m on m.id = g.mailbox_id and m.status = 'active'
                where g.user_id = u.id and g.permission = 'reply'
                  and (g.access_until is null or g.access_until > now()));

-- Who may open a mailbox that is not their own (Dovecot master users: "mailbox*login" with the
-- login's own password): members of a shared mailbox and holders of a grant, with the permission
-- that picks their ACL group.
create view mailplane.access as
  select s.address as mailbox, mm.address as login, u.password_hash as password, sm.permission
  from mailroom.shared_members sm
  join mailroom.mailboxes s on s.id = sm.shared_mailbox_id and s.status = 'active'
  join mailroom.mailboxes mm on mm.id = sm.member_mailbox_id and mm.status = 'active'
  join mailroom.users u on u.id = mm.login_user_id and u.login_enabled
  union all
  select m.address, u.email, u.password_hash, g.permission
  from mailroom.grants g
  join mailroom.mailboxes m on m.id = g.mailbox_id and m.status = 'active'
  join mailroom.users u on u.id = g.user_id and u.login_enabled
  where g.access_until is null or g.access_until > now();

-- Postfix smtpd_sender_login_maps: which SASL logins may use an address as sender. Its own login,
-- reply members and reply grants; read-only access never sends.
create view mailplane.sender_logins as
  select "user" as address, "user" as login from mailplane.passdb where mailbox
  union all
  select mailbox, login from mailplane.access where permission = 'reply';

-- Postfix virtual_alias_maps: postmaster@ and abuse@ of every active domain reach the owner of the
-- organization unless a mailbox of that name exists (RFC 5321 §4.5.1 wants postmaster to work).
create view mailplane.aliases as
  select r.local_part || '@' || d.domain as address, r.local_part, d.domain, u.email as destination
  from mailplane.domains d
  cross join (values ('postmaster'), ('abuse')) as r(local_part)
  join lateral (select ms.user_id from mailroom.memberships ms
                where ms.org_id = d.org_id and ms.role = 'owner'
                order by ms.joined_at, ms.user_id limit 1) o on true
  join mailroom.users u on u.id = o.user_id
  where not exists (select from mailroom.mailboxes m
                    where m.address = r.local_part || '@' || d.domain);

alter view mailplane.domains owner to ${mailplane_role}_views;
alter view mailplane.mailboxes owner to ${mailplane_role}_views;
alter view mailplane.userdb owner to ${mailplane_role}_views;
alter view mailplane.passdb owner to ${mailplane_role}_views;
alter view mailplane.access owner to ${mailplane_role}_views;
alter view mailplane.sender_logins owner to ${mailplane_role}_views;
alter view mailplane.aliases owner to ${mailplane_role}_views;

grant select on all tables in schema mailplane to ${mailplane_role};
