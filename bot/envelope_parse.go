package bot

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// target is where an envelope goes, in words safe to log.
type target struct {
	kind routeKind
	name string
}

// parse reads an envelope's payload into a Request and finds its target.
// A payload of the wrong shape is an error; a type Pulse does not handle is
// not.
func (b *Bot) parse(env *socketmode.Request) (*Request, target, error) {
	r := &Request{bot: b, EnvelopeID: env.EnvelopeID, RetryAttempt: env.RetryAttempt}
	switch env.Type {
	case socketmode.RequestTypeSlashCommands:
		var cmd slack.SlashCommand
		if err := json.Unmarshal(env.Payload, &cmd); err != nil {
			return nil, target{kind: routeCommand}, fmt.Errorf("slash command payload: %w", err)
		}
		r.Command = &cmd
		r.Actor.UserID, r.Channel, r.Team, r.responseURL = cmd.UserID, cmd.ChannelID, cmd.TeamID, cmd.ResponseURL
		text := strings.TrimSpace(cmd.Text)
		word, rest, _ := strings.Cut(text, " ")
		name := strings.ToLower(word)
		r.Args = strings.TrimSpace(rest)
		if strings.HasPrefix(word, "<@") {
			name, r.Args = CommandMention, text
		}
		return r, target{kind: routeCommand, name: name}, nil

	case socketmode.RequestTypeInteractive:
		var cb slack.InteractionCallback
		if err := json.Unmarshal(env.Payload, &cb); err != nil {
			return nil, target{kind: routeOther, name: "interactive"}, fmt.Errorf("interaction payload: %w", err)
		}
		r.Interaction = &cb
		r.Actor.UserID, r.Team, r.responseURL = cb.User.ID, cb.Team.ID, cb.ResponseURL
		r.Channel = cb.Channel.ID
		if r.Channel == "" {
			r.Channel = cb.Container.ChannelID
		}
		switch cb.Type {
		case slack.InteractionTypeBlockActions:
			if len(cb.ActionCallback.BlockActions) == 0 {
				return nil, target{kind: routeAction}, fmt.Errorf("block_actions without an action")
			}
			r.Action = cb.ActionCallback.BlockActions[0]
			return r, target{kind: routeAction, name: logName(r.Action.ActionID)}, nil
		case slack.InteractionTypeViewSubmission:
			return r, target{kind: routeView, name: logName(cb.View.CallbackID)}, nil
		case slack.InteractionTypeViewClosed:
			return r, target{kind: routeViewClosed, name: logName(cb.View.CallbackID)}, nil
		case slack.InteractionTypeBlockSuggestion:
			return r, target{kind: routeSuggestion, name: logName(cb.ActionID)}, nil
		}
		return r, target{kind: routeOther, name: logName(string(cb.Type))}, nil

	case socketmode.RequestTypeEventsAPI:
		var outer struct {
			Type   string `json:"type"`
			TeamID string `json:"team_id"`
			Event  struct {
				Type string          `json:"type"`
				User json.RawMessage `json:"user"` // an ID in most events, an object in a few
			} `json:"event"`
		}
		if err := json.Unmarshal(env.Payload, &outer); err != nil {
			return nil, target{kind: routeEvent}, fmt.Errorf("events_api payload: %w", err)
		}
		r.Team = outer.TeamID
		_ = json.Unmarshal(outer.Event.User, &r.Actor.UserID)
		if outer.Type != slackevents.CallbackEvent {
			return r, target{kind: routeOther, name: logName(outer.Type)}, nil
		}
		return r, target{kind: routeEvent, name: logName(outer.Event.Type)}, nil
	}
	return r, target{kind: routeOther, name: logName(env.Type)}, nil
}

// logName bounds a name from a payload before it is used as a key or
// logged: names are ours (action IDs, callback IDs) or Slack's, but a
// payload could carry anything.
func logName(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max]
	}
	return s
}
