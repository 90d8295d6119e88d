package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// readmeYAML returns the ```yaml blocks of README.md's section "Running
// several replicas", in order.
func readmeYAML(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "\n## Running several replicas\n")
	if start < 0 {
		t.Fatal(`README.md has no section "Running several replicas"`)
	}
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// The README's compose file parses, runs PostgreSQL and two replicas of
// pulse that both point at it, each after the database is healthy.
func TestREADMEComposeFile(t *testing.T) {
	blocks := readmeYAML(t)
	if len(blocks) != 2 {
		t.Fatalf("%d yaml blocks in the section, want 2 (compose, Kubernetes)", len(blocks))
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			EnvFile     string            `yaml:"env_file"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
			Ports []string `yaml:"ports"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(blocks[0]), &compose); err != nil {
		t.Fatalf("compose file: %v", err)
	}
	db, ok := compose.Services["db"]
	if !ok || !strings.HasPrefix(db.Image, "postgres:") {
		t.Fatalf("no PostgreSQL service: %+v", compose.Services)
	}
	replicas, ports := 0, map[string]bool{}
	for name, s := range compose.Services {
		if s.Image != "pulse" {
			continue
		}
		replicas++
		url := s.Environment["PULSE_DATABASE_URL"]
		if !strings.HasPrefix(url, "postgres://") || !strings.Contains(url, "@db:5432/"+db.Environment["POSTGRES_DB"]) ||
			!strings.Contains(url, db.Environment["POSTGRES_USER"]+":"+db.Environment["POSTGRES_PASSWORD"]+"@") {
			t.Errorf("%s: PULSE_DATABASE_URL %q does not match the db service", name, url)
		}
		if s.EnvFile != "pulse.env" {
			t.Errorf("%s: tokens not from pulse.env", name)
		}
		if s.DependsOn["db"].Condition != "service_healthy" {
			t.Errorf("%s: does not wait for a healthy db", name)
		}
		for _, p := range s.Ports {
			if ports[p] {
				t.Errorf("%s: port %s published twice", name, p)
			}
			ports[p] = true
		}
	}
	if replicas != 2 {
		t.Errorf("%d pulse replicas, want 2", replicas)
	}
}

// The README's Kubernetes example is a Deployment of two, ready on /readyz,
// alive on /healthz, with both tokens and the database URL from a Secret.
func TestREADMEKubernetesExample(t *testing.T) {
	blocks := readmeYAML(t)
	if len(blocks) != 2 {
		t.Fatalf("%d yaml blocks in the section, want 2", len(blocks))
	}
	type probe struct {
		HTTPGet struct {
			Path string `yaml:"path"`
			Port string `yaml:"port"`
		} `yaml:"httpGet"`
		PeriodSeconds    int `yaml:"periodSeconds"`
		FailureThreshold int `yaml:"failureThreshold"`
	}
	var d struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec struct {
			Replicas int `yaml:"replicas"`
			Selector struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
			Template struct {
				Metadata struct {
					Labels map[string]string `yaml:"labels"`
				} `yaml:"metadata"`
				Spec struct {
					Containers []struct {
						Name  string   `yaml:"name"`
						Image string   `yaml:"image"`
						Args  []string `yaml:"args"`
						Ports []struct {
							ContainerPort int    `yaml:"containerPort"`
							Name          string `yaml:"name"`
						} `yaml:"ports"`
						Env []struct {
							Name      string `yaml:"name"`
							Value     string `yaml:"value"`
							ValueFrom struct {
								SecretKeyRef struct {
									Name string `yaml:"name"`
									Key  string `yaml:"key"`
								} `yaml:"secretKeyRef"`
							} `yaml:"valueFrom"`
						} `yaml:"env"`
						ReadinessProbe probe `yaml:"readinessProbe"`
						LivenessProbe  probe `yaml:"livenessProbe"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	dec := yaml.NewDecoder(strings.NewReader(blocks[1]))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("Kubernetes example: %v", err)
	}
	if d.APIVersion != "apps/v1" || d.Kind != "Deployment" || d.Spec.Replicas != 2 {
		t.Errorf("%s %s with %d replicas, want apps/v1 Deployment with 2", d.APIVersion, d.Kind, d.Spec.Replicas)
	}
	for k, v := range d.Spec.Selector.MatchLabels {
		if d.Spec.Template.Metadata.Labels[k] != v {
			t.Errorf("selector %s=%s does not select the pods", k, v)
		}
	}
	if len(d.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(d.Spec.Template.Spec.Containers))
	}
	c := d.Spec.Template.Spec.Containers[0]
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("ports %+v, want 8080 (PULSE_HTTP_ADDR's default)", c.Ports)
	}
	if c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("readiness %q, liveness %q; want /readyz and /healthz", c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path)
	}
	for _, p := range []probe{c.ReadinessProbe, c.LivenessProbe} {
		if p.HTTPGet.Port != c.Ports[0].Name {
			t.Errorf("probe port %q is not the container's port %q", p.HTTPGet.Port, c.Ports[0].Name)
		}
	}
	fromSecret := map[string]bool{}
	for _, e := range c.Env {
		if e.Value != "" {
			t.Errorf("%s given in plain text", e.Name)
		}
		if e.ValueFrom.SecretKeyRef.Name != "" && e.ValueFrom.SecretKeyRef.Key != "" {
			fromSecret[e.Name] = true
		}
	}
	for _, v := range []string{"PULSE_SLACK_BOT_TOKEN", "PULSE_SLACK_APP_TOKEN", "PULSE_DATABASE_URL"} {
		if !fromSecret[v] {
			t.Errorf("%s not from a Secret", v)
		}
	}
	if c.Image == "" || len(c.Args) != 1 || c.Args[0] != "run" {
		t.Errorf("image %q, args %v; want an image and [run]", c.Image, c.Args)
	}
}
