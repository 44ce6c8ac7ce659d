// Command schemagen turns a kube-apiserver OpenAPI v2 document into the stand-alone, strict JSON
// schemas kubeconform reads, one file per kind: <kind>-<group>-<version>.json, the layout of
// kubeconform's "{{ .ResourceKind }}{{ .KindSuffix }}.json" schema location.
//
//	schemagen OPENAPI_V2_JSON OUT_DIR
//
// Stand-alone: every $ref is inlined. Strict: objects with properties refuse other fields
// (unless the schema keeps unknown fields). As the API server does, optional fields may be
// null, int-or-string fields take either and quantities take strings or numbers.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type schema = map[string]any

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: schemagen OPENAPI_V2_JSON OUT_DIR")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var doc struct {
		Definitions map[string]schema `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		fail(fmt.Errorf("%s is not an OpenAPI v2 document: %w", os.Args[1], err))
	}
	if err := os.MkdirAll(os.Args[2], 0o755); err != nil {
		fail(err)
	}
	names := make([]string, 0, len(doc.Definitions))
	for name := range doc.Definitions {
		names = append(names, name)
	}
	sort.Strings(names)
	written := 0
	for _, name := range names {
		def := doc.Definitions[name]
		gvks, _ := def["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			gvk := g.(map[string]any)
			group, version, kind := gvk["group"].(string), gvk["version"].(string), gvk["kind"].(string)
			if strings.HasSuffix(kind, "List") || kind == "WatchEvent" || kind == "DeleteOptions" || kind == "Status" {
				continue
			}
			out := expand(doc.Definitions, def, map[string]bool{name: true})
			apiVersion := version
			if group != "" {
				apiVersion = group + "/" + version
			}
			props, _ := out["properties"].(schema)
			if props != nil {
				props["apiVersion"] = schema{"type": "string", "enum": []any{apiVersion}}
				props["kind"] = schema{"type": "string", "enum": []any{kind}}
			}
			out["$schema"] = "http://json-schema.org/schema#"
			file := strings.ToLower(kind) + "-" + suffix(group, version) + ".json"
			data, err := json.Marshal(out)
			if err != nil {
				fail(err)
			}
			if err := os.WriteFile(filepath.Join(os.Args[2], file), data, 0o644); err != nil {
				fail(err)
			}
			written++
		}
	}
	if written == 0 {
		fail(fmt.Errorf("%s has no definition with x-kubernetes-group-version-kind", os.Args[1]))
	}
	fmt.Printf("%d schemas written to %s\n", written, os.Args[2])
}

// suffix mirrors kubeconform's KindSuffix without its leading dash: the first label of the group
// (none for the core group) and the version.
func suffix(group, version string) string {
	if group == "" {
		return version
	}
	return strings.ToLower(strings.Split(group, ".")[0]) + "-" + version
}

// expand returns a copy of s with references inlined and the strict and nullable rules applied;
// seen holds the definitions being expanded, so recursive types end in an open schema.
func expand(defs map[string]schema, s schema, seen map[string]bool) schema {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/definitions/")
		target, found := defs[name]
		if !found || seen[name] {
			return schema{}
		}
		seen[name] = true
		defer delete(seen, name)
		return expand(defs, target, seen)
	}
	format, _ := s["format"].(string)
	if format == "int-or-string" || s["x-kubernetes-int-or-string"] == true {
		return schema{"oneOf": []any{schema{"type": []any{"string", "null"}}, schema{"type": []any{"integer", "null"}}}}
	}
	if format == "quantity" {
		return schema{"oneOf": []any{schema{"type": []any{"string", "null"}}, schema{"type": []any{"number", "null"}}}}
	}
	out := schema{}
	for k, v := range s {
		switch k {
		case "description", "x-kubernetes-group-version-kind":
			continue
		case "properties":
			props := schema{}
			for name, p := range v.(schema) {
				props[name] = expand(defs, p.(schema), seen)
			}
			out[k] = props
		case "items", "additionalProperties", "not":
			if sub, ok := v.(schema); ok {
				out[k] = expand(defs, sub, seen)
			} else {
				out[k] = v
			}
		case "allOf", "anyOf", "oneOf":
			list := []any{}
			for _, sub := range v.([]any) {
				list = append(list, expand(defs, sub.(schema), seen))
			}
			out[k] = list
		case "type":
			if t, ok := v.(string); ok {
				out[k] = []any{t, "null"}
			} else {
				out[k] = v
			}
		default:
			out[k] = v
		}
	}
	if _, has := out["properties"]; has && s["x-kubernetes-preserve-unknown-fields"] != true {
		if _, set := out["additionalProperties"]; !set {
			out["additionalProperties"] = false
		}
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "schemagen:", err)
	os.Exit(1)
}
