-- Emailed one-time sign-in links (issue 27): the right password from a client the account does
-- not know, while wrong passwords have paused the account, signs in only through such a link.
-- The link is an HMAC over the id (no token stored); used_at makes it work once.
create table mailroom.sign_in_links (
  id         uuid primary key,
  user_id    uuid not null references mailroom.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  used_at    timestamptz
);
create index sign_in_links_user_idx on mailroom.sign_in_links (user_id);
