package engine

import (
	"math"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// plainMap converts engine properties to plain JSON values, secrets
// replaced by plan.Redacted.
func plainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plan.Redacted
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		n := v.NumberValue()
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n)
		}
		return n
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return plan.Redacted
		}
		if !o.Known {
			return "[unknown]"
		}
		return plainValue(o.Element)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsComputed():
		return "[unknown]"
	default:
		return "[asset]"
	}
}

func uniqueSorted(in []string) []string {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
