"""The access log is append-only, and each row is chained to the one before.

``audit_accesslog_chain`` runs before every INSERT: it takes a transaction-level
advisory lock (one constant key, so all writers queue), reads the newest row,
and sets ``seq``, ``prev_hash`` and ``hash``. Inside a PL/pgSQL function each
statement takes a fresh snapshot, so the read after the lock sees the row the
previous lock holder committed. ``apps.audit.chain`` recomputes the same
canonical text in Python.

``audit_accesslog_refuse_change`` refuses UPDATE, DELETE and TRUNCATE. The
only opening is TRUNCATE with the session setting ``audit.allow_truncate = on``:
Django's transactional tests end by truncating every table, and a test
database may set it (``ALTER DATABASE ... SET``); production never does.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION audit_accesslog_field(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN '-' ELSE length(value) || ':' || value END || ';'
$$;

CREATE FUNCTION audit_accesslog_canonical(e audit_accesslogentry) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT 'v1;'
        || audit_accesslog_field(e.seq::text)
        || audit_accesslog_field(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))
        || audit_accesslog_field(e.user_id::text)
        || audit_accesslog_field(e.username_attempted)
        || audit_accesslog_field(e.action)
        || audit_accesslog_field(e.object_type)
        || audit_accesslog_field(e.object_id)
        || audit_accesslog_field(e.object_reference)
        || audit_accesslog_field(e.case_id::text)
        || audit_accesslog_field(e.path_name)
        || audit_accesslog_field(host(e.ip))
        || audit_accesslog_field(e.purpose)
        || audit_accesslog_field(e.prev_hash)
$$;

CREATE FUNCTION audit_accesslog_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(735381204);
    SELECT seq, hash INTO last_seq, last_hash
        FROM audit_accesslogentry ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.at := coalesce(NEW.at, clock_timestamp());
    NEW.hash := encode(sha256(convert_to(audit_accesslog_canonical(NEW), 'UTF8')), 'hex');
    RETURN NEW;
END
$$;

CREATE FUNCTION audit_accesslog_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Das Zugriffsprotokoll ist unveränderlich: % ist nicht erlaubt.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_accesslog_chain
    BEFORE INSERT ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_chain();

CREATE TRIGGER audit_accesslog_no_change
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse_change();

CREATE TRIGGER audit_accesslog_no_truncate
    BEFORE TRUNCATE ON audit_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslog_refuse_change();
"""

BACKWARD = r"""
DROP TRIGGER audit_accesslog_no_truncate ON audit_accesslogentry;
DROP TRIGGER audit_accesslog_no_change ON audit_accesslogentry;
DROP TRIGGER audit_accesslog_chain ON audit_accesslogentry;
DROP FUNCTION audit_accesslog_refuse_change();
DROP FUNCTION audit_accesslog_chain();
DROP FUNCTION audit_accesslog_canonical(audit_accesslogentry);
DROP FUNCTION audit_accesslog_field(text);
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
