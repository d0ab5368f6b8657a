// Package cost estimates the monthly AWS bill of an evaluated plan graph:
// a price catalogue per region (data, each price with its source, date and
// confidence), usage assumptions for what the program does not declare, and
// one cost line per priced resource, grouped like the requirements
// document's Cost Estimate table.
package cost

import (
	"embed"
	"fmt"
	"os"
	"sort"

	"gopkg.in/yaml.v3"
)

//go:embed data/*.yaml
var data embed.FS

// Price is one list price with where it came from.
type Price struct {
	USD        float64 `yaml:"usd" json:"usd"`
	Unit       string  `yaml:"unit" json:"unit"`
	Source     string  `yaml:"source" json:"source"`
	Date       string  `yaml:"date" json:"date"`
	Confidence string  `yaml:"confidence" json:"confidence"`
}

// Catalogue holds the prices of one region, keyed like "ec2/m5.xlarge",
// "rds/postgres/db.t3.medium" or "nat/hour", and the commitment discounts
// (Savings Plans, reserved instances) keyed like "computesp/1y-no-upfront".
type Catalogue struct {
	Region      string              `yaml:"region" json:"region"`
	Currency    string              `yaml:"currency" json:"currency"`
	Prices      map[string]Price    `yaml:"prices" json:"prices"`
	Commitments map[string]Discount `yaml:"commitments" json:"commitments,omitempty"`
}

// Discount is a commitment's rate as a fraction off the on-demand price,
// with where it came from. Offered false records a term AWS does not sell.
type Discount struct {
	Fraction   float64 `yaml:"fraction" json:"fraction"`
	Offered    *bool   `yaml:"offered,omitempty" json:"offered,omitempty"`
	Source     string  `yaml:"source" json:"source"`
	Date       string  `yaml:"date" json:"date"`
	Confidence string  `yaml:"confidence" json:"confidence"`
}

// IsOffered reports whether AWS sells the commitment (true unless the
// catalogue says offered: false).
func (d Discount) IsOffered() bool { return d.Offered == nil || *d.Offered }

// Regions lists the regions with a built-in catalogue.
func Regions() []string {
	entries, err := data.ReadDir("data")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if name := e.Name(); name != "usage.yaml" {
			out = append(out, name[:len(name)-len(".yaml")])
		}
	}
	sort.Strings(out)
	return out
}

// LoadCatalogue returns the built-in catalogue of region with the prices of
// overrideFile (same YAML shape; "" for none) merged over it.
func LoadCatalogue(region, overrideFile string) (*Catalogue, error) {
	content, err := data.ReadFile("data/" + region + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no price catalogue for region %q (built in: %v)", region, Regions())
	}
	c, err := parseCatalogue(content)
	if err != nil {
		return nil, fmt.Errorf("built-in catalogue %s: %w", region, err)
	}
	if overrideFile == "" {
		return c, nil
	}
	content, err = os.ReadFile(overrideFile)
	if err != nil {
		return nil, fmt.Errorf("reading prices file: %w", err)
	}
	if err := c.Merge(content, overrideFile); err != nil {
		return nil, fmt.Errorf("prices file %s: %w", overrideFile, err)
	}
	return c, nil
}

// Merge applies a prices file's content over c. Prices without a source are
// attributed to origin; a file for another region is refused.
func (c *Catalogue) Merge(content []byte, origin string) error {
	o, err := parseCatalogue(content)
	if err != nil {
		return err
	}
	if o.Region != "" && o.Region != c.Region {
		return fmt.Errorf("region is %q but the stack is in %q", o.Region, c.Region)
	}
	for k, p := range o.Prices {
		if p.Source == "" {
			p.Source = "override: " + origin
		}
		if p.Confidence == "" {
			p.Confidence = "user"
		}
		if p.Unit == "" {
			p.Unit = c.Prices[k].Unit
		}
		c.Prices[k] = p
	}
	for k, d := range o.Commitments {
		if d.Source == "" {
			d.Source = "override: " + origin
		}
		if d.Confidence == "" {
			d.Confidence = "user"
		}
		c.Commitments[k] = d
	}
	return nil
}

func parseCatalogue(content []byte) (*Catalogue, error) {
	var c Catalogue
	if err := yaml.Unmarshal(content, &c); err != nil {
		return nil, fmt.Errorf("parsing prices: %w", err)
	}
	if c.Prices == nil {
		c.Prices = map[string]Price{}
	}
	if c.Commitments == nil {
		c.Commitments = map[string]Discount{}
	}
	for k, d := range c.Commitments {
		if d.Fraction < 0 || d.Fraction >= 1 {
			return nil, fmt.Errorf("commitments.%s: fraction must be in [0, 1)", k)
		}
	}
	for k, p := range c.Prices {
		if p.USD < 0 {
			return nil, fmt.Errorf("prices.%s: usd must not be negative", k)
		}
	}
	return &c, nil
}

// Lookup returns the price of key.
func (c *Catalogue) Lookup(key string) (Price, bool) {
	p, ok := c.Prices[key]
	return p, ok
}
