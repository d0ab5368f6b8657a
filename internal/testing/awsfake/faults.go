package awsfake

import (
	"net/http"
	"time"
)

// Fault is an injected answer: after Delay (the request's context
// permitting), an error with Status and Code, or the normal answer when
// Status is 0 (a slow endpoint).
type Fault struct {
	Status int
	Code   string
	Delay  time.Duration
}

// Common faults.
var (
	S3SlowDown      = Fault{Status: http.StatusServiceUnavailable, Code: "SlowDown"}
	S3InternalError = Fault{Status: http.StatusInternalServerError, Code: "InternalError"}
	S3AccessDenied  = Fault{Status: http.StatusForbidden, Code: "AccessDenied"}
	KMSThrottling   = Fault{Status: http.StatusBadRequest, Code: "ThrottlingException"}
	KMSInternal     = Fault{Status: http.StatusInternalServerError, Code: "KMSInternalException"}
	// Throttling is the query services' (RDS, Auto Scaling) throttle.
	Throttling = Fault{Status: http.StatusBadRequest, Code: "Throttling"}
	// ThrottlingException is the JSON services' (Logs, SSM) throttle.
	ThrottlingException = Fault{Status: http.StatusBadRequest, Code: "ThrottlingException"}
	// TooManyRequests is EKS's throttle (HTTP 429).
	TooManyRequests = Fault{Status: http.StatusTooManyRequests, Code: "TooManyRequestsException"}
	// ServiceUnavailable is a 503 of any service.
	ServiceUnavailable = Fault{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailableException"}
)

// APIError is an error answer in the service's protocol.
type APIError struct {
	Status        int
	Code, Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func notFound(code, msg string) error {
	return &APIError{Status: http.StatusNotFound, Code: code, Message: msg}
}

func badRequest(code, msg string) error {
	return &APIError{Status: http.StatusBadRequest, Code: code, Message: msg}
}
