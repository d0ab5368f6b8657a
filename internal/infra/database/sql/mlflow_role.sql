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
