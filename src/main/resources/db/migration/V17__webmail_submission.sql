-- Webmail sends through Postfix's submission port as the person (issue 29), so Postfix's sender-login
-- map and the From: milter decide send-as exactly as for a desktop client. Its SASL login is the one
-- mailplane.sender_logins names: the person's own address, the member mailbox they belong to a
-- shared mailbox with, or their account's email for a grant. Every such login of a live web
-- session's credential is here; whether it may send as an address stays sender_logins' business
-- (a read-only member authenticates, then gets 553 for the shared address).
create view mailplane.webmail_submitters as
  select "user" as login, credential_id, password from mailplane.webmail_logins
  union
  select login, credential_id, password from mailplane.webmail_access;

alter view mailplane.webmail_submitters owner to ${mailplane_role}_views;
grant select on mailplane.webmail_submitters to ${mailplane_role};
