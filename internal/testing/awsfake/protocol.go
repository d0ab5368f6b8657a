package awsfake

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// protocol is an AWS wire protocol.
type protocol int

const (
	awsJSON  protocol = iota // JSON 1.1 RPC: X-Amz-Target names the operation
	restJSON                 // REST with JSON bodies: method and path name it
	query                    // form-encoded Action, XML answers wrapped in <OpResult>
	ec2Query                 // EC2's query dialect: unwrapped answers, <Response><Errors>
	restXML                  // S3
)

// handler answers one operation: a value the protocol encodes, or an
// error (an *APIError for a modelled one).
type handler func(s *Server, r *Request) (any, error)

// route is one REST operation: method and path pattern with {params}.
type route struct {
	method, pattern, op string
	h                   handler
}

// service is one AWS service the fake speaks.
type service struct {
	protocol protocol
	// target is the X-Amz-Target prefix (awsJSON).
	target string
	// xmlns is the answers' namespace (query, ec2Query).
	xmlns string
	// ops are the operations by name (awsJSON, query, ec2Query).
	ops map[string]handler
	// routes are the REST operations (restJSON).
	routes []route
	// s3 names the operation of a REST-XML request.
	s3 func(r *Request) handler
}

// route finds the request's operation, setting r.Op.
func (svc *service) route(r *Request) (handler, error) {
	switch svc.protocol {
	case awsJSON:
		_, r.Op, _ = strings.Cut(r.HTTP.Header.Get("X-Amz-Target"), ".")
	case query, ec2Query:
		form, err := url.ParseQuery(string(r.Body))
		if err != nil {
			return nil, badRequest("MalformedQueryString", err.Error())
		}
		r.Form, r.Op = form, form.Get("Action")
	case restJSON:
		for _, rt := range svc.routes {
			if p, ok := match(rt.pattern, r.HTTP.URL.Path); ok && rt.method == r.HTTP.Method {
				r.Op, r.Path = rt.op, p
				return rt.h, nil
			}
		}
		r.Op = r.HTTP.Method + " " + r.HTTP.URL.Path
		return nil, notFound("UnknownOperationException", r.Op+" is not implemented by the fake")
	case restXML:
		h := svc.s3(r)
		if h == nil {
			return nil, &APIError{Status: http.StatusNotImplemented, Code: "NotImplemented", Message: r.Op + " is not implemented by the fake"}
		}
		return h, nil
	}
	if h, ok := svc.ops[r.Op]; ok {
		return h, nil
	}
	return nil, badRequest("InvalidAction", r.Op+" is not implemented by the fake")
}

// match matches path against a pattern such as /clusters/{name}.
func match(pattern, path string) (map[string]string, bool) {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") {
			v, err := url.PathUnescape(xs[i])
			if err != nil {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = v
		} else if p != xs[i] {
			return nil, false
		}
	}
	return params, true
}

// write encodes a successful answer.
func (svc *service) write(w http.ResponseWriter, op string, out any) {
	switch svc.protocol {
	case awsJSON, restJSON:
		if out == nil {
			out = struct{}{}
		}
		ct := "application/json"
		if svc.protocol == awsJSON {
			ct = "application/x-amz-json-1.1"
		}
		w.Header().Set("Content-Type", ct)
		json.NewEncoder(w).Encode(out)
	case query:
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<%sResponse xmlns="%s">`, op, svc.xmlns)
		if out != nil {
			xml.NewEncoder(w).EncodeElement(out, xml.StartElement{Name: xml.Name{Local: op + "Result"}})
		}
		fmt.Fprintf(w, `<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></%sResponse>`, op)
	case ec2Query:
		w.Header().Set("Content-Type", "text/xml")
		xml.NewEncoder(w).EncodeElement(out, xml.StartElement{Name: xml.Name{Space: svc.xmlns, Local: op + "Response"}})
	case restXML:
		if b, ok := out.([]byte); ok {
			if w.Header().Get("Content-Type") == "" {
				w.Header().Set("Content-Type", "application/xml")
			}
			w.Write(b)
		}
	}
}

// writeError encodes an error answer as the protocol's error shape.
func (svc *service) writeError(w http.ResponseWriter, _ string, err error) {
	var e *APIError
	if !errors.As(err, &e) {
		e = &APIError{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: err.Error()}
	}
	msg := xmlText(e.Message)
	switch svc.protocol {
	case awsJSON:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
	case restJSON:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", e.Code)
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(map[string]string{"message": e.Message})
	case query:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(e.Status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`, svc.xmlns, e.Code, msg)
	case ec2Query:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(e.Status)
		fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fake</RequestID></Response>`, e.Code, msg)
	case restXML:
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(e.Status)
		if e.Status != http.StatusNotFound || e.Code != "" {
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>fake</RequestId></Error>`, e.Code, msg)
		}
	}
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
