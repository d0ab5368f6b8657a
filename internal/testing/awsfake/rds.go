package awsfake

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
	SecurityGroups                                []string
	ParameterGroup                                string
	IAMAuth                                       bool
	DBName, MasterUsername                        string
	Tags                                          map[string]string
	// RestoredFrom is the source of a point-in-time restore.
	RestoredFrom string
	// polls is how many more DescribeDBInstances answers keep a
	// restoring instance "creating" (-1: forever).
	polls int
}

// Restore shapes the instances RestoreDBInstanceToPointInTime creates.
type Restore struct {
	// Polls is how many DescribeDBInstances answers a restored instance
	// stays "creating" before "available"; negative keeps it creating.
	Polls int
	// Address and Port are the restored instance's endpoint (a test's
	// own PostgreSQL).
	Address string
	Port    int
}

// SetRestore sets how later restores behave.
func (s *Server) SetRestore(r Restore) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restore = r
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

// DBInstance returns a copy of an instance's state, or nil.
func (s *Server) DBInstance(id string) *DBInstance {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, ok := s.dbs[id]
	if !ok {
		return nil
	}
	c := *db
	return &c
}

// rdsOps are the RDS operations the fake answers.
var rdsOps = map[string]handler{
	"DescribeDBInstances":            describeDBInstances,
	"RestoreDBInstanceToPointInTime": restoreDBInstanceToPointInTime,
	"DeleteDBInstance":               deleteDBInstance,
}

type tagXML struct{ Key, Value string }

type sgXML struct {
	VpcSecurityGroupID string `xml:"VpcSecurityGroupId"`
	Status             string
}

type paramGroupXML struct{ DBParameterGroupName string }

// dbInstanceXML is the DBInstance shape of the RDS model (the members the
// platform reads).
type dbInstanceXML struct {
	DBInstanceIdentifier             string
	DBInstanceArn                    string
	DBInstanceClass                  string
	Engine                           string
	EngineVersion                    string
	DBInstanceStatus                 string
	DBName                           string `xml:",omitempty"`
	MasterUsername                   string `xml:",omitempty"`
	MultiAZ                          bool
	BackupRetentionPeriod            int
	DeletionProtection               bool
	StorageEncrypted                 bool
	IAMDatabaseAuthenticationEnabled bool
	DbiResourceID                    string     `xml:"DbiResourceId"`
	KmsKeyID                         string     `xml:"KmsKeyId,omitempty"`
	LatestRestorableTime             *time.Time `xml:",omitempty"`
	DBSubnetGroup                    struct{ DBSubnetGroupName string }
	VpcSecurityGroups                []sgXML         `xml:"VpcSecurityGroups>VpcSecurityGroupMembership"`
	DBParameterGroups                []paramGroupXML `xml:"DBParameterGroups>DBParameterGroup"`
	TagList                          []tagXML        `xml:"TagList>Tag"`
	Endpoint                         *struct {
		Address string
		Port    int
	} `xml:",omitempty"`
}

func (db *DBInstance) wire() dbInstanceXML {
	x := dbInstanceXML{
		DBInstanceIdentifier: db.ID, DBInstanceArn: "arn:aws:rds:" + Region + ":" + Account + ":db:" + db.ID,
		DBInstanceClass: db.Class, Engine: db.Engine, EngineVersion: db.EngineVersion, DBInstanceStatus: db.Status,
		DBName: db.DBName, MasterUsername: db.MasterUsername,
		MultiAZ: db.MultiAZ, BackupRetentionPeriod: db.BackupRetention, DeletionProtection: db.DeletionProtection,
		StorageEncrypted: db.StorageEncrypted, KmsKeyID: db.KMSKeyID, IAMDatabaseAuthenticationEnabled: db.IAMAuth,
		DbiResourceID: "db-" + strings.ToUpper(strings.ReplaceAll(db.ID, "-", "")),
	}
	if x.DBInstanceStatus == "" {
		x.DBInstanceStatus = "available"
	}
	if !db.LatestRestorableTime.IsZero() {
		t := db.LatestRestorableTime.UTC()
		x.LatestRestorableTime = &t
	}
	x.DBSubnetGroup.DBSubnetGroupName = db.SubnetGroup
	for _, sg := range db.SecurityGroups {
		x.VpcSecurityGroups = append(x.VpcSecurityGroups, sgXML{sg, "active"})
	}
	if db.ParameterGroup != "" {
		x.DBParameterGroups = append(x.DBParameterGroups, paramGroupXML{db.ParameterGroup})
	}
	for _, k := range sortedKeys(db.Tags) {
		x.TagList = append(x.TagList, tagXML{k, db.Tags[k]})
	}
	// RDS gives no endpoint before the instance can take connections.
	if x.DBInstanceStatus != "creating" {
		x.Endpoint = &struct {
			Address string
			Port    int
		}{db.Address, db.Port}
	}
	return x
}

func dbNotFound(id string) error {
	return &APIError{Status: http.StatusNotFound, Code: "DBInstanceNotFound", Message: "DBInstance " + id + " not found."}
}

// describeDBInstances answers the instances; each answer moves a
// restoring instance one poll closer to available, and removes one
// being deleted.
func describeDBInstances(s *Server, r *Request) (any, error) {
	id := strings.ToLower(r.Form.Get("DBInstanceIdentifier"))
	var out struct {
		DBInstances []dbInstanceXML `xml:"DBInstances>DBInstance"`
	}
	for _, name := range sortedKeys(s.dbs) {
		if id != "" && id != name {
			continue
		}
		db := s.dbs[name]
		switch {
		case db.Status == "deleting":
			delete(s.dbs, name)
			continue
		case db.Status == "creating" && db.polls > 0:
			db.polls--
		case db.Status == "creating" && db.polls == 0:
			db.Status = "available"
		}
		out.DBInstances = append(out.DBInstances, db.wire())
	}
	if id != "" && len(out.DBInstances) == 0 {
		return nil, dbNotFound(id)
	}
	return out, nil
}

// restoreDBInstanceToPointInTime creates the target from the source's
// automated backups: same engine, class, storage key; the subnet group,
// security groups, parameter group and IAM authentication as requested
// (RDS's defaults otherwise: the default VPC security group, no IAM
// authentication).
func restoreDBInstanceToPointInTime(s *Server, r *Request) (any, error) {
	f := r.Form
	src := s.dbs[strings.ToLower(f.Get("SourceDBInstanceIdentifier"))]
	target := strings.ToLower(f.Get("TargetDBInstanceIdentifier"))
	switch {
	case src == nil:
		return nil, dbNotFound(f.Get("SourceDBInstanceIdentifier"))
	case target == "":
		return nil, badRequest("InvalidParameterValue", "TargetDBInstanceIdentifier is required")
	case s.dbs[target] != nil:
		return nil, badRequest("DBInstanceAlreadyExists", "DB instance already exists")
	case src.BackupRetention == 0:
		return nil, badRequest("InvalidDBInstanceState", "Automated backups are not enabled for this database instance.")
	case (f.Get("UseLatestRestorableTime") == "true") == (f.Get("RestoreTime") != ""):
		return nil, badRequest("InvalidParameterCombination", "Specify exactly one of RestoreTime and UseLatestRestorableTime")
	}
	db := &DBInstance{
		ID: target, Class: src.Class, Engine: src.Engine, EngineVersion: src.EngineVersion, Status: "creating",
		StorageEncrypted: src.StorageEncrypted, KMSKeyID: src.KMSKeyID, DBName: src.DBName, MasterUsername: src.MasterUsername,
		SubnetGroup: f.Get("DBSubnetGroupName"), ParameterGroup: f.Get("DBParameterGroupName"),
		SecurityGroups: queryList(f, "VpcSecurityGroupIds", ""), IAMAuth: f.Get("EnableIAMDatabaseAuthentication") == "true",
		MultiAZ: f.Get("MultiAZ") == "true", DeletionProtection: f.Get("DeletionProtection") == "true",
		Address: s.restore.Address, Port: s.restore.Port, RestoredFrom: src.ID, polls: s.restore.Polls, Tags: map[string]string{},
	}
	if c := f.Get("DBInstanceClass"); c != "" {
		db.Class = c
	}
	if db.SubnetGroup == "" {
		db.SubnetGroup = "default"
	}
	if len(db.SecurityGroups) == 0 {
		db.SecurityGroups = []string{"sg-default"}
	}
	if db.ParameterGroup == "" {
		db.ParameterGroup = "default.postgres"
	}
	keys, values := queryList(f, "Tags", "Key"), queryList(f, "Tags", "Value")
	for i, k := range keys {
		if i < len(values) {
			db.Tags[k] = values[i]
		}
	}
	s.dbs[target] = db
	return struct{ DBInstance dbInstanceXML }{db.wire()}, nil
}

// deleteDBInstance refuses a protected instance, and one without a final
// snapshot choice, as RDS does; the instance is "deleting" until the
// next describe.
func deleteDBInstance(s *Server, r *Request) (any, error) {
	id := strings.ToLower(r.Form.Get("DBInstanceIdentifier"))
	db := s.dbs[id]
	switch {
	case db == nil:
		return nil, dbNotFound(id)
	case db.DeletionProtection:
		return nil, badRequest("InvalidParameterCombination", "Cannot delete protected DB Instance, please disable deletion protection and try again.")
	case r.Form.Get("SkipFinalSnapshot") != "true" && r.Form.Get("FinalDBSnapshotIdentifier") == "":
		return nil, badRequest("InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")
	case db.Status == "deleting":
		return nil, badRequest("InvalidDBInstanceState", "Instance "+id+" is already being deleted.")
	}
	db.Status = "deleting"
	return struct{ DBInstance dbInstanceXML }{db.wire()}, nil
}

var queryMember = regexp.MustCompile(`^([A-Za-z]+)\.[A-Za-z]+\.(\d+)(?:\.([A-Za-z]+))?$`)

// queryList returns the values of a query-protocol list (List.Member.N,
// or List.Member.N.Field of a list of structures), in index order.
func queryList(f url.Values, list, field string) []string {
	type item struct {
		i int
		v string
	}
	var items []item
	for k, vs := range f {
		m := queryMember.FindStringSubmatch(k)
		if m == nil || m[1] != list || m[3] != field {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		items = append(items, item{i, vs[0]})
	}
	slices.SortFunc(items, func(a, b item) int { return a.i - b.i })
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.v)
	}
	return out
}
