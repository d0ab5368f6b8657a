-- The core tracking tables of MLflow's SQLAlchemy store (mlflow/store/
-- tracking/dbmodels/models.py) and Alembic's revision table, created by
-- the role MLflow connects as, with a little data: what a restored backup
-- of the MLflow database holds. The revision is a sample; the drill
-- reports it and does not judge it.
CREATE TABLE alembic_version (
  version_num VARCHAR(32) NOT NULL,
  CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE experiments (
  experiment_id SERIAL NOT NULL,
  name VARCHAR(256) NOT NULL,
  artifact_location VARCHAR(256),
  lifecycle_stage VARCHAR(32),
  creation_time BIGINT,
  last_update_time BIGINT,
  CONSTRAINT experiment_pk PRIMARY KEY (experiment_id),
  UNIQUE (name),
  CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted'))
);
CREATE TABLE runs (
  run_uuid VARCHAR(32) NOT NULL,
  name VARCHAR(250),
  source_type VARCHAR(20),
  source_name VARCHAR(500),
  entry_point_name VARCHAR(50),
  user_id VARCHAR(256),
  status VARCHAR(9),
  start_time BIGINT,
  end_time BIGINT,
  deleted_time BIGINT,
  source_version VARCHAR(50),
  lifecycle_stage VARCHAR(20),
  artifact_uri VARCHAR(200),
  experiment_id INTEGER,
  CONSTRAINT run_pk PRIMARY KEY (run_uuid),
  FOREIGN KEY (experiment_id) REFERENCES experiments (experiment_id)
);
CREATE TABLE metrics (
  key VARCHAR(250) NOT NULL,
  value FLOAT NOT NULL,
  timestamp BIGINT NOT NULL,
  run_uuid VARCHAR(32) NOT NULL,
  step BIGINT DEFAULT '0' NOT NULL,
  is_nan BOOLEAN DEFAULT false NOT NULL,
  CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan),
  FOREIGN KEY (run_uuid) REFERENCES runs (run_uuid)
);
CREATE TABLE params (
  key VARCHAR(250) NOT NULL,
  value VARCHAR(8000) NOT NULL,
  run_uuid VARCHAR(32) NOT NULL,
  CONSTRAINT param_pk PRIMARY KEY (key, run_uuid),
  FOREIGN KEY (run_uuid) REFERENCES runs (run_uuid)
);
CREATE TABLE tags (
  key VARCHAR(250) NOT NULL,
  value VARCHAR(8000),
  run_uuid VARCHAR(32) NOT NULL,
  CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid),
  FOREIGN KEY (run_uuid) REFERENCES runs (run_uuid)
);
INSERT INTO alembic_version VALUES ('0584bdc529eb');
INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
  VALUES ('Default', 's3://artifacts/0', 'active', 1764374400000, 1764374400000),
         ('churn', 's3://artifacts/1', 'active', 1764374400000, 1764374400000);
INSERT INTO runs (run_uuid, name, status, start_time, lifecycle_stage, artifact_uri, experiment_id)
  VALUES ('6f1c2f0b9d0e4d2c8b7a1e3f5a9c0d11', 'baseline', 'FINISHED', 1764374400000, 'active', 's3://artifacts/1/6f1c', 2);
INSERT INTO metrics VALUES ('auc', 0.91, 1764374400000, '6f1c2f0b9d0e4d2c8b7a1e3f5a9c0d11', 0, false);
INSERT INTO params VALUES ('lr', '0.01', '6f1c2f0b9d0e4d2c8b7a1e3f5a9c0d11');
