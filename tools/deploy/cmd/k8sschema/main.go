// Command k8sschema makes kubeconform's JSON schemas offline: from the Kubernetes OpenAPI
// document (api/openapi-spec/swagger.json in the k8s.io/kubernetes Go module) and from
// CustomResourceDefinition files (CloudNativePG's Cluster, say). It writes one standalone
// schema per kind, in kubeconform's layout and names:
//
//	<out>/<version>-standalone-strict/<kind>[-<group>]-<apiversion>.json
//
// "strict": every object that lists its properties refuses any other (additionalProperties
// false), which is what kubeconform -strict looks for, so a misspelt field fails.
//
//	k8sschema -swagger …/swagger.json -crd cnpg-clusters.yaml -version v1.32.0 -o .cache/k8s-schemas
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	swagger := flag.String("swagger", "", "the Kubernetes swagger.json")
	version := flag.String("version", "", "the Kubernetes version it is of, such as v1.32.0")
	out := flag.String("o", "", "the output folder")
	var crds list
	flag.Var(&crds, "crd", "a CustomResourceDefinition YAML file (repeatable)")
	flag.Parse()
	if *swagger == "" || *version == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	dir := filepath.Join(*out, *version+"-standalone-strict")
	n, err := run(*swagger, crds, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "k8sschema:", err)
		os.Exit(1)
	}
	fmt.Printf("k8sschema: %d schemas in %s\n", n, dir)
}

type obj = map[string]any

func run(swaggerPath string, crds []string, dir string) (int, error) {
	raw, err := os.ReadFile(swaggerPath)
	if err != nil {
		return 0, err
	}
	var doc struct {
		Definitions map[string]obj `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return 0, fmt.Errorf("%s: %w", swaggerPath, err)
	}
	defs := doc.Definitions
	for name, d := range defs {
		defs[name] = fix(d).(obj)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	n := 0
	names := make([]string, 0, len(defs))
	for name := range defs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		gvks, _ := defs[name]["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			gvk, _ := g.(obj)
			group, _ := gvk["group"].(string)
			kind, _ := gvk["kind"].(string)
			version, _ := gvk["version"].(string)
			schema := obj{}
			for k, v := range defs[name] {
				schema[k] = v
			}
			used := map[string]obj{}
			closure(defs[name], defs, used)
			if len(used) > 0 {
				schema["definitions"] = used
			}
			if err := write(dir, kind, group, version, schema); err != nil {
				return n, err
			}
			n++
		}
	}
	for _, path := range crds {
		m, err := crd(path, dir)
		if err != nil {
			return n, err
		}
		n += m
	}
	return n, nil
}

// fix turns the OpenAPI quirks into JSON Schema, the way kubeconform's own schemas do: an
// int-or-string or a quantity accepts both, and an object with properties refuses others.
func fix(v any) any {
	switch t := v.(type) {
	case obj:
		if t["format"] == "int-or-string" {
			return obj{"oneOf": []any{obj{"type": "string"}, obj{"type": "integer"}}}
		}
		for k, c := range t {
			if k == "properties" {
				props := c.(obj)
				for p, s := range props {
					props[p] = fix(s)
				}
				continue
			}
			t[k] = fix(c)
		}
		if _, ok := t["properties"]; ok && t["x-kubernetes-preserve-unknown-fields"] != true {
			if _, set := t["additionalProperties"]; !set {
				t["additionalProperties"] = false
			}
		}
		return t
	case []any:
		for i := range t {
			t[i] = fix(t[i])
		}
	}
	return v
}

// closure adds to used every definition v refers to, transitively.
func closure(v any, defs map[string]obj, used map[string]obj) {
	switch t := v.(type) {
	case obj:
		if ref, ok := t["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/definitions/")
			if _, seen := used[name]; !seen {
				if d, ok := defs[name]; ok {
					used[name] = d
					closure(d, defs, used)
				}
			}
		}
		for _, c := range t {
			closure(c, defs, used)
		}
	case []any:
		for _, c := range t {
			closure(c, defs, used)
		}
	}
}

// crd writes the schema of every version of a CustomResourceDefinition.
func crd(path, dir string) (int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var c struct {
		Kind string `json:"kind"`
		Spec struct {
			Group string `json:"group"`
			Names struct {
				Kind string `json:"kind"`
			} `json:"names"`
			Versions []struct {
				Name   string `json:"name"`
				Schema struct {
					OpenAPIV3Schema obj `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if c.Kind != "CustomResourceDefinition" || len(c.Spec.Versions) == 0 {
		return 0, fmt.Errorf("%s: not a CustomResourceDefinition with versions", path)
	}
	n := 0
	for _, v := range c.Spec.Versions {
		s := fix(v.Schema.OpenAPIV3Schema).(obj)
		if err := write(dir, c.Spec.Names.Kind, c.Spec.Group, v.Name, s); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// write names the file as kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}.json does: the
// kind in lower case, then the group's first label (none for the core group), then the
// version.
func write(dir, kind, group, version string, schema obj) error {
	suffix := "-" + version
	if group != "" {
		suffix = "-" + strings.Split(group, ".")[0] + suffix
	}
	data, err := json.Marshal(schema)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, strings.ToLower(kind+suffix)+".json"), data, 0o644)
}
