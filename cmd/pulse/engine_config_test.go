package main

import (
	"strings"
	"testing"
)

func TestConfigReadsThePaceOfPosts(t *testing.T) {
	tests := []struct {
		name    string
		value   string // PULSE_SLACK_POSTS_PER_MINUTE; "" leaves it unset
		want    int
		wantErr string
	}{
		{"unset: Slack's documented floor", "", 200, ""},
		{"a workspace that allows more", "600", 600, ""},
		{"spaces around the number", " 300 ", 300, ""},
		{"zero would never post", "0", 0, "PULSE_SLACK_POSTS_PER_MINUTE must be a whole number"},
		{"a negative number", "-5", 0, "PULSE_SLACK_POSTS_PER_MINUTE must be a whole number"},
		{"not a number", "fast", 0, "PULSE_SLACK_POSTS_PER_MINUTE must be a whole number"},
		{"a fraction", "2.5", 0, "PULSE_SLACK_POSTS_PER_MINUTE must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"PULSE_SLACK_BOT_TOKEN": testBotToken, "PULSE_SLACK_APP_TOKEN": testAppToken}
			if tt.value != "" {
				vars["PULSE_SLACK_POSTS_PER_MINUTE"] = tt.value
			}
			cfg, err := loadConfig(envOf(vars))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.PostsPerMinute(); got != tt.want {
				t.Errorf("PostsPerMinute() = %d, want %d", got, tt.want)
			}
		})
	}
}
