-- Runs after every migration run: the mail plane's login gets the password the config generator
-- writes into Dovecot's and Postfix's SQL settings (MAILROOM_MAILPLANE_DATABASE_PASSWORD, or the
-- one generated into the data dir).
alter role ${mailplane_role} login password '${mailplane_password}';
