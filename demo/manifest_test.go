package demo_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"gopkg.in/yaml.v3"
)

// webAPI maps each slack-go client method the bot may call to the Web API
// method it calls and the bot scopes that method needs. A method with no
// scope needs none beyond the app itself (views.*, auth.test), or an
// app-level token (apps.connections.open). Where a method needs one scope
// per conversation type, every type Pulse uses is listed: direct messages
// and public and private team channels.
var webAPI = map[string]struct {
	methods []string
	scopes  []string
}{
	"PostMessageContext":            {[]string{"chat.postMessage"}, []string{"chat:write"}},
	"PostMessage":                   {[]string{"chat.postMessage"}, []string{"chat:write"}},
	"SendMessageContext":            {[]string{"chat.postMessage"}, []string{"chat:write"}},
	"PostEphemeralContext":          {[]string{"chat.postEphemeral"}, []string{"chat:write"}},
	"UpdateMessageContext":          {[]string{"chat.update"}, []string{"chat:write"}},
	"DeleteMessageContext":          {[]string{"chat.delete"}, []string{"chat:write"}},
	"OpenViewContext":               {[]string{"views.open"}, nil},
	"UpdateViewContext":             {[]string{"views.update"}, nil},
	"PushViewContext":               {[]string{"views.push"}, nil},
	"PublishViewContext":            {[]string{"views.publish"}, nil},
	"AuthTestContext":               {[]string{"auth.test"}, nil},
	"StartSocketModeContext":        {[]string{"apps.connections.open"}, nil},
	"GetUserInfoContext":            {[]string{"users.info"}, []string{"users:read"}},
	"GetUsersInfoContext":           {[]string{"users.info"}, []string{"users:read"}},
	"GetUsersContext":               {[]string{"users.list"}, []string{"users:read"}},
	"GetUsersPaginated":             {[]string{"users.list"}, []string{"users:read"}},
	"OpenConversationContext":       {[]string{"conversations.open"}, []string{"im:write"}},
	"GetConversationHistoryContext": {[]string{"conversations.history"}, []string{"im:history", "channels:history", "groups:history"}},
	"GetConversationRepliesContext": {[]string{"conversations.replies"}, []string{"im:history", "channels:history", "groups:history"}},
	"UploadFileContext":             {[]string{"files.getUploadURLExternal", "files.completeUploadExternal"}, []string{"files:write"}},
	"UploadFileV2Context":           {[]string{"files.getUploadURLExternal", "files.completeUploadExternal"}, []string{"files:write"}},
	"GetUploadURLExternalContext":   {[]string{"files.getUploadURLExternal"}, []string{"files:write"}},
	"CompleteUploadExternalContext": {[]string{"files.completeUploadExternal"}, []string{"files:write"}},
}

// notWebAPI are client methods that call no Web API method.
var notWebAPI = map[string]bool{"Debug": true, "Debugf": true, "Debugln": true}

// manifestScopes are scopes the manifest needs for a feature rather than a
// Web API call.
var manifestScopes = map[string]string{
	"users:read.email": "the email users.info and users.list return with it, to match reps to their CRM users",
	"commands":         "the /pulse slash command",
}

func TestManifestScopesMatchTheWebAPIMethodsTheCodeCalls(t *testing.T) {
	m := readManifest(t, filepath.Join("..", "manifest.yaml"))
	scopes := m.list("oauth_config.scopes.bot")
	if len(scopes) == 0 {
		t.Fatal("manifest lists no bot scopes")
	}
	called := clientCalls(t, filepath.Join("..", "bot"), filepath.Join("..", "cadence"))
	if len(called) == 0 {
		t.Fatal("found no Slack client calls in bot/ and cadence/; the scan is broken")
	}
	needed := map[string][]string{} // scope → methods that need it
	for name, where := range called {
		if notWebAPI[name] {
			continue
		}
		api, ok := webAPI[name]
		if !ok {
			t.Errorf("%s calls slack.Client.%s, which the scope table does not know: add it with its Web API method and scopes", where, name)
			continue
		}
		for _, s := range api.scopes {
			needed[s] = append(needed[s], strings.Join(api.methods, "+"))
			if !slices.Contains(scopes, s) {
				t.Errorf("%s calls %s (%s), which needs scope %s; the manifest lacks it", where, name, strings.Join(api.methods, ", "), s)
			}
		}
	}
	for _, s := range scopes {
		if _, ok := needed[s]; ok {
			continue
		}
		if why, ok := manifestScopes[s]; ok {
			if s == "commands" && len(m.list("features.slash_commands")) == 0 && m.get("features.slash_commands[0].command") == "" {
				t.Errorf("scope commands is for %s, but the manifest has no slash command", why)
			}
			continue
		}
		t.Errorf("manifest asks for scope %s, but no method the code calls needs it", s)
	}
}

func TestManifestDescribesPulsesSlackApp(t *testing.T) {
	m := readManifest(t, filepath.Join("..", "manifest.yaml"))
	for key, want := range map[string]string{
		"display_information.name":                 "Pulse",
		"features.bot_user.display_name":           "Pulse",
		"features.app_home.home_tab_enabled":       "true",
		"features.app_home.messages_tab_enabled":   "true",
		"features.slash_commands[0].command":       "/pulse",
		"features.slash_commands[0].should_escape": "true",
		"settings.interactivity.is_enabled":        "true",
		"settings.socket_mode_enabled":             "true",
	} {
		if got := m.get(key); got != want {
			t.Errorf("manifest %s = %q, want %q", key, got, want)
		}
	}
	if m.get("features.slash_commands[0].usage_hint") == "" {
		t.Error("the /pulse command has no usage hint")
	}
	// Every event the bot handles is subscribed, and no other.
	handled := handledEvents(t, filepath.Join("..", "bot"))
	subscribed := m.list("settings.event_subscriptions.bot_events")
	slices.Sort(handled)
	slices.Sort(subscribed)
	if !slices.Equal(handled, subscribed) {
		t.Errorf("manifest subscribes to %v, the bot handles %v", subscribed, handled)
	}
}

// clientCalls returns the slack.Client methods called in the non-test Go
// files of dirs, each with one place it is called.
func clientCalls(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	methods := map[string]bool{}
	typ := reflect.TypeFor[*slack.Client]()
	for i := range typ.NumMethod() {
		methods[typ.Method(i).Name] = true
	}
	out := map[string]string{}
	eachFile(t, dirs, func(fset *token.FileSet, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !methods[sel.Sel.Name] {
				return true
			}
			if _, seen := out[sel.Sel.Name]; !seen {
				out[sel.Sel.Name] = fset.Position(call.Pos()).String()
			}
			return true
		})
	})
	return out
}

// handledEvents returns the event types the bot registers with HandleEvent.
func handledEvents(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	eachFile(t, []string{dir}, func(_ *token.FileSet, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "HandleEvent" || len(call.Args) == 0 {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			return true
		})
	})
	return out
}

func eachFile(t *testing.T, dirs []string, fn func(*token.FileSet, *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("parse %s: %v", name, err)
			}
			fn(fset, f)
		}
	}
}

// manifest is manifest.yaml flattened to dotted paths: "a.b" for a scalar,
// "a.b[]" for a list of scalars, "a.b[0].c" inside a list of maps.
type manifest map[string][]string

func (m manifest) get(path string) string {
	if v := m[path]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (m manifest) list(path string) []string { return m[path+"[]"] }

// readManifest decodes the manifest with a real YAML parser, as Slack does
// when an admin pastes it: a file that is not valid YAML fails here.
func readManifest(t *testing.T, path string) manifest {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s is not valid YAML, so Slack would refuse it: %v", path, err)
	}
	m := manifest{}
	m.flatten("", doc)
	return m
}

func (m manifest) flatten(path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, item := range x {
			m.flatten(strings.TrimPrefix(path+"."+k, "."), item)
		}
	case []any:
		for i, item := range x {
			switch item.(type) {
			case map[string]any, []any:
				m.flatten(path+"["+strconv.Itoa(i)+"]", item)
			default:
				m[path+"[]"] = append(m[path+"[]"], fmt.Sprint(item))
			}
		}
	default:
		m[path] = []string{fmt.Sprint(x)}
	}
}
