package awsfake

import (
	"net/http"
	"time"
)

// DBInstance is an RDS instance's state.
type DBInstance struct {
	ID, Class, Engine, EngineVersion, SubnetGroup string
	// Status is available when empty.
	Status                                        string
	MultiAZ, DeletionProtection, StorageEncrypted bool
	KMSKeyID                                      string
	BackupRetention                               int
	LatestRestorableTime                          time.Time
	Address                                       string
	Port                                          int
}

// PutDBInstance stores db (replacing an instance with its identifier).
func (s *Server) PutDBInstance(db DBInstance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dbs[db.ID] = &db
}

// EditDBInstance changes a stored instance under the server's lock.
func (s *Server) EditDBInstance(id string, edit func(*DBInstance)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	edit(s.dbs[id])
}

// rdsOps are the RDS operations the fake answers.
var rdsOps = map[string]handler{
	"DescribeDBInstances": describeDBInstances,
}

// dbInstanceXML is the DBInstance shape of the RDS model (the members the
// platform reads).
type dbInstanceXML struct {
	DBInstanceIdentifier  string
	DBInstanceArn         string
	DBInstanceClass       string
	Engine                string
	EngineVersion         string
	DBInstanceStatus      string
	MultiAZ               bool
	BackupRetentionPeriod int
	DeletionProtection    bool
	StorageEncrypted      bool
	KmsKeyID              string     `xml:"KmsKeyId,omitempty"`
	LatestRestorableTime  *time.Time `xml:",omitempty"`
	DBSubnetGroup         struct{ DBSubnetGroupName string }
	Endpoint              struct {
		Address string
		Port    int
	}
}

func describeDBInstances(s *Server, r *Request) (any, error) {
	id := r.Form.Get("DBInstanceIdentifier")
	var out struct {
		DBInstances []dbInstanceXML `xml:"DBInstances>DBInstance"`
	}
	for _, name := range sortedKeys(s.dbs) {
		if id != "" && id != name {
			continue
		}
		db := s.dbs[name]
		x := dbInstanceXML{
			DBInstanceIdentifier: db.ID, DBInstanceArn: "arn:aws:rds:" + Region + ":" + Account + ":db:" + db.ID,
			DBInstanceClass: db.Class, Engine: db.Engine, EngineVersion: db.EngineVersion, DBInstanceStatus: db.Status,
			MultiAZ: db.MultiAZ, BackupRetentionPeriod: db.BackupRetention, DeletionProtection: db.DeletionProtection,
			StorageEncrypted: db.StorageEncrypted, KmsKeyID: db.KMSKeyID,
		}
		if x.DBInstanceStatus == "" {
			x.DBInstanceStatus = "available"
		}
		if !db.LatestRestorableTime.IsZero() {
			t := db.LatestRestorableTime.UTC()
			x.LatestRestorableTime = &t
		}
		x.DBSubnetGroup.DBSubnetGroupName = db.SubnetGroup
		x.Endpoint.Address, x.Endpoint.Port = db.Address, db.Port
		out.DBInstances = append(out.DBInstances, x)
	}
	if id != "" && len(out.DBInstances) == 0 {
		return nil, &APIError{Status: http.StatusNotFound, Code: "DBInstanceNotFound", Message: "DBInstance " + id + " not found."}
	}
	return out, nil
}
