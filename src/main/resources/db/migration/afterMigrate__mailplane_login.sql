-- Runs after every migration run: the mail plane's login gets the password the config generator
-- writes into Dovecot's and Postfix's SQL settings (MAILROOM_MAILPLANE_DATABASE_PASSWORD, or the
-- one generated into the data dir). An owner that may not manage that role (an external server
-- where a superuser created it) gets a warning instead: the operator sets the password there.
-- The password arrives base64-encoded (no quote or dollar sign can end a literal or this block)
-- and format's %L quotes it; the role name is a plain identifier (checked at start), quoted by %I.
do $$
begin
  execute format('alter role %I login password %L', '${mailplane_role}',
    convert_from(decode('${mailplane_password_base64}', 'base64'), 'UTF8'));
exception when insufficient_privilege then
  raise warning 'Cannot set the password of role %: set it yourself to MAILROOM_MAILPLANE_DATABASE_PASSWORD',
    '${mailplane_role}';
end
$$;
