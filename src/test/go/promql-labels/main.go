// Command promql-labels reads PromQL expressions with the real Prometheus parser and checks
// them against a catalog of the metric families one Prometheus holds (name -> labels): every
// selected family must be produced there, and every label an expression matches on, groups by
// or joins on must exist on the series it applies to. Input (stdin) and output (stdout) are
// JSON; see the Input and Result types. Used by the Java tests (MonitoringTest).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Input: the families a Prometheus holds and the expressions evaluated against it.
type Input struct {
	Families map[string][]string `json:"families"`
	Queries  []Query             `json:"queries"`
}

type Query struct {
	ID   string `json:"id"`
	Expr string `json:"expr"`
}

// Result for one expression: the families it reads and what cannot hold.
type Result struct {
	ID       string   `json:"id"`
	Families []string `json:"families"`
	Problems []string `json:"problems"`
}

// labelSet is the set of labels an expression's series carry; scalar for numbers and scalar().
type labelSet struct {
	names  map[string]bool
	scalar bool
	// unknown after an error already reported, so one mistake is not reported again upstream.
	unknown bool
}

func setOf(names ...string) labelSet {
	s := labelSet{names: map[string]bool{}}
	for _, n := range names {
		s.names[n] = true
	}
	return s
}

func (s labelSet) has(name string) bool { return s.unknown || s.names[name] }

func (s labelSet) list() string {
	var l []string
	for n := range s.names {
		l = append(l, n)
	}
	sort.Strings(l)
	return strings.Join(l, ", ")
}

type checker struct {
	families map[string]map[string]bool
	read     map[string]bool
	problems []string
}

func (c *checker) fail(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *checker) selector(vs *parser.VectorSelector) labelSet {
	name := vs.Name
	for _, m := range vs.LabelMatchers {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			name = m.Value
		}
	}
	if name == "" {
		c.fail("%s selects metrics by a name pattern; name each family so its producer is known", vs.String())
		return labelSet{unknown: true}
	}
	c.read[name] = true
	fam, ok := c.families[name]
	if !ok {
		c.fail("reads %s, which nothing produces here", name)
		return labelSet{unknown: true}
	}
	s := setOf()
	for l := range fam {
		s.names[l] = true
	}
	for _, m := range vs.LabelMatchers {
		if m.Name != labels.MetricName && !fam[m.Name] {
			c.fail("matches %s on label %q, which %s does not carry here (it has: %s)", m.String(), m.Name, name, s.list())
		}
	}
	return s
}

func (c *checker) eval(node parser.Expr) labelSet {
	switch n := node.(type) {
	case *parser.VectorSelector:
		return c.selector(n)
	case *parser.MatrixSelector:
		return c.eval(n.VectorSelector)
	case *parser.SubqueryExpr:
		return c.eval(n.Expr)
	case *parser.ParenExpr:
		return c.eval(n.Expr)
	case *parser.StepInvariantExpr:
		return c.eval(n.Expr)
	case *parser.UnaryExpr:
		return c.eval(n.Expr)
	case *parser.NumberLiteral, *parser.StringLiteral:
		return labelSet{names: map[string]bool{}, scalar: true}
	case *parser.Call:
		return c.call(n)
	case *parser.AggregateExpr:
		return c.aggregate(n)
	case *parser.BinaryExpr:
		return c.binary(n)
	}
	c.fail("unsupported expression %T: %s", node, node.String())
	return labelSet{unknown: true}
}

func stringArg(e parser.Expr) string {
	if s, ok := e.(*parser.StringLiteral); ok {
		return s.Val
	}
	return ""
}

func (c *checker) call(n *parser.Call) labelSet {
	args := make([]labelSet, len(n.Args))
	for i, a := range n.Args {
		if a.Type() == parser.ValueTypeString {
			args[i] = labelSet{names: map[string]bool{}, scalar: true}
			continue
		}
		args[i] = c.eval(a)
	}
	switch n.Func.Name {
	case "time", "pi", "scalar":
		return labelSet{names: map[string]bool{}, scalar: true}
	case "vector":
		return setOf()
	case "histogram_quantile":
		in := args[1]
		if !in.has("le") {
			c.fail("histogram_quantile over series without an \"le\" label (they have: %s)", in.list())
		}
		out := setOf()
		for l := range in.names {
			if l != "le" {
				out.names[l] = true
			}
		}
		out.unknown = in.unknown
		return out
	case "label_replace":
		in := args[0]
		if src := stringArg(n.Args[3]); src != "" && !in.has(src) {
			c.fail("label_replace reads label %q, which the series do not carry (they have: %s)", src, in.list())
		}
		in.names[stringArg(n.Args[1])] = true
		return in
	case "label_join":
		in := args[0]
		for _, a := range n.Args[3:] {
			if src := stringArg(a); !in.has(src) {
				c.fail("label_join reads label %q, which the series do not carry (they have: %s)", src, in.list())
			}
		}
		in.names[stringArg(n.Args[1])] = true
		return in
	}
	for i, a := range n.Args {
		t := a.Type()
		if t == parser.ValueTypeVector || t == parser.ValueTypeMatrix {
			return args[i]
		}
	}
	return labelSet{names: map[string]bool{}, scalar: true}
}

func (c *checker) aggregate(n *parser.AggregateExpr) labelSet {
	in := c.eval(n.Expr)
	if n.Param != nil && n.Param.Type() != parser.ValueTypeString {
		c.eval(n.Param)
	}
	for _, g := range n.Grouping {
		if !in.has(g) {
			verb := "by"
			if n.Without {
				verb = "without"
			}
			c.fail("%s %s (%s): label %q does not exist on %s (its series carry: %s)", n.Op, verb,
				strings.Join(n.Grouping, ", "), g, n.Expr.String(), in.list())
		}
	}
	if n.Op == parser.TOPK || n.Op == parser.BOTTOMK {
		return in
	}
	out := setOf()
	out.unknown = in.unknown
	if n.Without {
		drop := map[string]bool{}
		for _, g := range n.Grouping {
			drop[g] = true
		}
		for l := range in.names {
			if !drop[l] {
				out.names[l] = true
			}
		}
	} else {
		for _, g := range n.Grouping {
			out.names[g] = true
		}
	}
	if n.Op == parser.COUNT_VALUES {
		out.names[stringArg(n.Param)] = true
	}
	return out
}

func (c *checker) binary(n *parser.BinaryExpr) labelSet {
	lhs, rhs := c.eval(n.LHS), c.eval(n.RHS)
	if lhs.scalar && rhs.scalar {
		return lhs
	}
	if lhs.scalar {
		return rhs
	}
	if rhs.scalar {
		return lhs
	}
	m := n.VectorMatching
	if m == nil {
		m = &parser.VectorMatching{Card: parser.CardOneToOne}
	}
	if m.On {
		for _, l := range m.MatchingLabels {
			if !lhs.has(l) || !rhs.has(l) {
				c.fail("%s on (%s): label %q is missing on one side (left: %s; right: %s)", n.Op,
					strings.Join(m.MatchingLabels, ", "), l, lhs.list(), rhs.list())
			}
		}
	}
	for _, l := range m.Include {
		if m.Card == parser.CardManyToOne && !rhs.has(l) || m.Card == parser.CardOneToMany && !lhs.has(l) {
			c.fail("%s group_left/right (%s): label %q does not exist on the \"one\" side", n.Op, strings.Join(m.Include, ", "), l)
		}
	}
	switch n.Op {
	case parser.LAND, parser.LUNLESS:
		return lhs
	case parser.LOR:
		out := setOf()
		for l := range lhs.names {
			out.names[l] = true
		}
		for l := range rhs.names {
			out.names[l] = true
		}
		out.unknown = lhs.unknown || rhs.unknown
		return out
	}
	base := lhs
	if m.Card == parser.CardOneToMany {
		base = rhs
	}
	out := setOf()
	out.unknown = base.unknown
	for l := range base.names {
		out.names[l] = true
	}
	if m.Card == parser.CardOneToOne {
		if m.On {
			out = setOf(m.MatchingLabels...)
			out.unknown = base.unknown
		} else {
			for _, l := range m.MatchingLabels {
				delete(out.names, l)
			}
		}
	}
	for _, l := range m.Include {
		out.names[l] = true
	}
	return out
}

func main() {
	var in Input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "promql-labels: cannot read the input JSON:", err)
		os.Exit(2)
	}
	families := map[string]map[string]bool{}
	for name, ls := range in.Families {
		families[name] = map[string]bool{}
		for _, l := range ls {
			families[name][l] = true
		}
	}
	results := []Result{}
	for _, q := range in.Queries {
		c := &checker{families: families, read: map[string]bool{}}
		expr, err := parser.ParseExpr(q.Expr)
		if err != nil {
			c.fail("does not parse: %v", err)
		} else {
			c.eval(expr)
		}
		r := Result{ID: q.ID, Families: []string{}, Problems: c.problems}
		if r.Problems == nil {
			r.Problems = []string{}
		}
		for f := range c.read {
			r.Families = append(r.Families, f)
		}
		sort.Strings(r.Families)
		results = append(results, r)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "promql-labels:", err)
		os.Exit(2)
	}
}
