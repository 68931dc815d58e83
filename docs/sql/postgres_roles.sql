-- Ostoja on PostgreSQL: a separate OWNER role for the schema and a restricted APP role.
--
-- Why: the append-only triggers on the audit trail (auditlog_logentry, ostoja_audit_auditseal)
-- and on signed records only bind the role that does not own the tables. The owner may
-- TRUNCATE, DISABLE TRIGGER or DROP TRIGGER; the application's role must not. So:
--   * ostoja_owner owns the database objects and runs the migrations (`ostoja migrate`,
--     DATABASE_URL with this role, by the administrator, at upgrade time only);
--   * ostoja_app is what the running service uses (DATABASE_URL of gunicorn/the CLI for daily
--     work): it reads and writes rows, it cannot truncate, alter or disable anything.
-- The hash chain (`ostoja audit_verify`) detects what even the owner changes afterwards.
--
-- Run as a superuser once, then run the migrations as ostoja_owner. Change the passwords.

CREATE ROLE ostoja_owner LOGIN PASSWORD 'change-me-owner';
CREATE ROLE ostoja_app LOGIN PASSWORD 'change-me-app' NOSUPERUSER NOCREATEDB NOCREATEROLE;

CREATE DATABASE ostoja OWNER ostoja_owner;
\connect ostoja

REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO ostoja_owner;
GRANT USAGE ON SCHEMA public TO ostoja_app;

-- Tables created later by the owner's migrations: rows only, never TRUNCATE / TRIGGER /
-- REFERENCES for the app role.
ALTER DEFAULT PRIVILEGES FOR ROLE ostoja_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ostoja_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ostoja_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO ostoja_app;

-- After `ostoja migrate` (as ostoja_owner), for tables that already exist:
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ostoja_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ostoja_app;

-- The audit trail: insert and read only (the triggers refuse UPDATE/DELETE as well).
REVOKE UPDATE, DELETE, TRUNCATE ON auditlog_logentry FROM ostoja_app;
REVOKE UPDATE, DELETE, TRUNCATE ON ostoja_audit_auditseal FROM ostoja_app;
REVOKE TRUNCATE, TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA public FROM ostoja_app;

-- Check (as ostoja_app): both must fail.
--   TRUNCATE auditlog_logentry;                                  -- permission denied
--   ALTER TABLE auditlog_logentry DISABLE TRIGGER ALL;           -- must be owner
