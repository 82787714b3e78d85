-- Domain claims. A name is unique among ACTIVE domains only: several organizations may hold a
-- pending claim for the same name (each with its own TXT token) and the first one proven over
-- DNS wins, so a squatter's pending claim cannot lock the real owner out. The partial index is
-- the backstop when two verifications race. One organization still holds one claim per name.
drop index mailroom.domains_name_key;
create unique index domains_active_name_key on mailroom.domains (name) where status = 'active';
alter table mailroom.domains add constraint domains_org_name_key unique (org_id, name);
-- pending claims by age, for the job that deletes them when they expire (7 days)
create index domains_pending_created_idx on mailroom.domains (created_at) where status = 'pending';

-- Whether any organization has this name active. Row-level security hides other tenants'
-- domains from the application; this answers one yes/no question about them without handing
-- any row to the caller. The owner is subject to the forced policies too, so the body reads
-- under the operator's read-only setting and puts the caller's setting back before returning.
create function mailroom.domain_name_active(p_name text) returns boolean
  language plpgsql volatile security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  previous text := current_setting('mailroom.operator', true);
  active boolean;
begin
  perform set_config('mailroom.operator', 'on', true);
  select exists (select 1 from mailroom.domains d where d.name = p_name and d.status = 'active') into active;
  perform set_config('mailroom.operator', coalesce(previous, ''), true);
  return active;
end
$$;
revoke all on function mailroom.domain_name_active(text) from public;
grant execute on function mailroom.domain_name_active(text) to ${app_role};
