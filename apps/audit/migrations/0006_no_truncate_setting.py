"""Close the ``audit.allow_truncate`` opening of the append-only trigger.

Any session could set that custom setting, so the application itself could
empty the log. Now only the table's owner may TRUNCATE (it could drop the
trigger anyway); the application role has no TRUNCATE, UPDATE or DELETE
right on the table at all (``apps.core.dbroles``). Test databases empty the
log between transactional tests with ``flush``, which runs as the owner.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND pg_has_role(
        current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER'
    ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Das Zugriffsprotokoll ist unveränderlich: % ist nicht erlaubt.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Das Zugriffsprotokoll ist unveränderlich: % ist nicht erlaubt.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_search_action")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
