-- MLflow's own database role. The setup Job runs this script as the RDS
-- master user at every deploy whose script changed; every statement is
-- idempotent, so a rerun changes nothing. It needs no superuser: the RDS
-- master user is not one (it holds rds_superuser, CREATEROLE, CREATEDB and
-- owns the database).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'mlflow') THEN
    CREATE ROLE mlflow LOGIN;
  END IF;
END
$$;
-- Least privilege, also for a role an operator created by hand: it logs in
-- and can create neither roles nor databases (a non-superuser cannot make
-- it a superuser in the first place).
ALTER ROLE mlflow WITH LOGIN NOCREATEDB NOCREATEROLE;
-- rds_iam makes RDS authenticate the role with IAM tokens only.
GRANT rds_iam TO mlflow;
GRANT CONNECT ON DATABASE mlflow TO mlflow;
-- PostgreSQL 15 and later no longer let PUBLIC create in the public schema;
-- MLflow's migrations create their tables there.
GRANT USAGE, CREATE ON SCHEMA public TO mlflow;
-- Databases created by an earlier release ran MLflow as the master user, so
-- MLflow's tables, views, sequences and enum types in public are still the
-- master user's, and MLflow, now running as mlflow, gets "permission denied"
-- and cannot migrate them. Hand every such object in public that the master
-- user (the role running this script) owns to mlflow. The guard is the
-- query itself: once nothing in public is the master user's, the block does
-- nothing, so it runs once. ALTER ... OWNER needs membership in the new
-- owner, held only for the block: a lasting membership would make the
-- master user a member of rds_iam through mlflow. Sequences that belong to
-- a column follow their table.
DO $$
DECLARE
  obj record;
  checked boolean := false;
  granted boolean := false;
BEGIN
  FOR obj IN
    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
             WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind, c.relname AS name
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND c.relowner = current_user::regrole
      AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT 'TYPE', t.typname
    FROM pg_catalog.pg_type t
    WHERE t.typnamespace = 'public'::regnamespace
      AND t.typtype IN ('e', 'd')
      AND t.typowner = current_user::regrole
  LOOP
    IF NOT checked THEN
      checked := true;
      IF NOT pg_has_role(current_user, 'mlflow', 'MEMBER') THEN
        EXECUTE 'GRANT mlflow TO ' || quote_ident(current_user);
        granted := true;
      END IF;
    END IF;
    EXECUTE format('ALTER %s public.%I OWNER TO mlflow', obj.kind, obj.name);
  END LOOP;
  IF granted THEN
    EXECUTE 'REVOKE mlflow FROM ' || quote_ident(current_user);
  END IF;
END
$$;
