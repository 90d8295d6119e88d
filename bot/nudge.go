package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// A training nudge is answered with Applied it, which opens the training
// report modal, or Not yet, recorded at once. Only the rep the nudge was
// sent to may answer it: its buttons carry the training, the day and the
// rep, and the presser must be that rep, an attendee of the training and a
// rep of its team.

// reportBlock is the report's input block and action ID: the field name
// Nudge.Validate gives its errors under.
const reportBlock = "report"

// nudgeAnswer is one nudge being answered, with what it belongs to.
type nudgeAnswer struct {
	training *pulse.Training
	team     *pulse.Team
	nudge    *pulse.Nudge
}

// loadNudge checks a nudge's training ID, day and rep as they came back
// from Slack, and that the actor may answer it, and returns the nudge: the
// stored one, or a new one marked sent now if the engine has not recorded
// it yet (the rep holds the message, so it was sent).
func (b *Bot) loadNudge(ctx context.Context, r *Request, trainingID, dayText, rep string) (*nudgeAnswer, error) {
	day, err := strconv.Atoi(dayText)
	if err != nil || trainingID == "" || day < 1 {
		return nil, pulse.Errorf(pulse.EINVALID, "err.not_found", nil, "nudge value %q/%q is malformed", trainingID, dayText)
	}
	if r.Actor.UserID != rep {
		return nil, pulse.Errorf(pulse.EFORBIDDEN, "notices.deny_nudge", nil, "%s answered the nudge of %s", r.Actor.UserID, rep)
	}
	tr, err := b.store.Training(ctx, trainingID)
	if err != nil {
		return nil, fmt.Errorf("training %s: %w", trainingID, err)
	}
	team, err := b.store.Team(ctx, tr.TeamID)
	if err != nil {
		return nil, fmt.Errorf("team %s: %w", tr.TeamID, err)
	}
	if err := pulse.CanCheckIn(r.Actor, team); err != nil {
		return nil, err
	}
	if !tr.IsNudgeDay(team, day) {
		return nil, pulse.Errorf(pulse.EINVALID, "err.not_found", nil, "training %s has no nudge on day %d", tr.ID, day)
	}
	if !slices.Contains(tr.Attendees, rep) {
		return nil, pulse.Errorf(pulse.EFORBIDDEN, "notices.deny_nudge", nil, "%s did not attend training %s", rep, tr.ID)
	}
	n, err := b.store.Nudge(ctx, tr.ID, rep, day)
	switch {
	case pulse.IsNotFound(err):
		n = &pulse.Nudge{TrainingID: tr.ID, TeamID: team.ID, UserID: rep, Day: day, SentAt: b.clock.Now()}
	case err != nil:
		return nil, fmt.Errorf("nudge %s+%d of %s: %w", tr.ID, day, rep, err)
	}
	return &nudgeAnswer{training: tr, team: team, nudge: n}, nil
}

// nudgeFromAction reads a nudge button's value: training, day, rep.
func (b *Bot) nudgeFromAction(ctx context.Context, r *Request) (*nudgeAnswer, error) {
	parts, ok := unpackValue(r.Action.Value, 3)
	if !ok {
		return nil, pulse.Errorf(pulse.EINVALID, "err.not_found", nil, "nudge button value %q is malformed", r.Action.Value)
	}
	return b.loadNudge(ctx, r, parts[0], parts[1], parts[2])
}

// nudgeApplied answers Applied it: the report modal opens at once, with
// the report given before if the rep answered already.
func (b *Bot) nudgeApplied(ctx context.Context, r *Request) error {
	na, err := b.nudgeFromAction(ctx, r)
	if err != nil {
		return err
	}
	meta := packValue(na.training.ID, strconv.Itoa(na.nudge.Day), na.nudge.UserID)
	view := b.reportModal(r.lang, na.training, na.nudge.Report, meta)
	if _, err := b.api.OpenViewContext(ctx, r.Interaction.TriggerID, view); err != nil {
		return fmt.Errorf("views.open %s: %w", ViewTrainingReport, err)
	}
	return nil
}

// reportModal asks how the rep applied the skill.
func (b *Bot) reportModal(lang pulse.Lang, tr *pulse.Training, report, meta string) slack.ModalViewRequest {
	t := b.voice(lang)
	input := slack.NewPlainTextInputBlockElement(nil, reportBlock)
	input.Multiline = true
	input.MaxLength = pulse.MaxTextLen
	input.InitialValue = report
	block := slack.NewInputBlock(reportBlock, t.plainText("notices.report_label"), t.plainText("notices.report_hint"), input)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      ViewTrainingReport,
		Title:           t.plainText(limit("notices.report_title", maxViewLabel)),
		Submit:          t.plainText(limit("notices.report_submit", maxViewLabel)),
		Close:           t.plainText(limit("notices.report_cancel", maxViewLabel)),
		PrivateMetadata: meta,
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			mrkdwnSection(t.T("notices.report_intro", map[string]any{"Skill": listText(tr.Skill), "Date": t.date(tr.Date)})),
			block,
		}},
	}
}

// trainingReport saves a submitted report: the nudge is answered
// "applied" with the report, then the nudge's message says so. An empty or
// overlong report is shown under its input and nothing is saved. The
// message is the one the job ledger says the nudge went to: the modal's
// metadata names the nudge, never the message to rewrite.
func (b *Bot) trainingReport(ctx context.Context, r *Request) error {
	view := r.Interaction.View
	parts, ok := unpackValue(view.PrivateMetadata, 3)
	if !ok {
		// A modal opened before the ledger was asked also carried the
		// channel and ts of its nudge, which are not read.
		parts, ok = unpackValue(view.PrivateMetadata, 5)
	}
	if !ok {
		return pulse.Errorf(pulse.EINVALID, "err.not_found", nil, "training report metadata %q is malformed", view.PrivateMetadata)
	}
	na, err := b.loadNudge(ctx, r, parts[0], parts[1], parts[2])
	if err != nil {
		return err
	}
	n := *na.nudge
	n.Response = pulse.NudgeApplied
	n.Report = view.State.Values[reportBlock][reportBlock].Value
	n.AnsweredAt = b.clock.Now()
	if err := n.Validate(); err != nil {
		return err
	}
	if err := b.store.SaveNudge(ctx, &n); err != nil {
		return fmt.Errorf("save training report %s+%d of %s: %w", n.TrainingID, n.Day, n.UserID, err)
	}
	na.nudge = &n
	key := pulse.NudgeKey(na.team.ID, n.UserID, na.training.ID, n.Day)
	r.Later(func(ctx context.Context) error {
		if d, ok := b.sentMessage(ctx, key); ok {
			return b.updateNudgeMessage(ctx, r.lang, na, d.Channel, d.TS)
		}
		return nil
	})
	return nil
}

// nudgeNotYet answers Not yet: recorded at once, and the message says so.
// A nudge already reported as applied stays applied.
func (b *Bot) nudgeNotYet(ctx context.Context, r *Request) error {
	na, err := b.nudgeFromAction(ctx, r)
	if err != nil {
		return err
	}
	if na.nudge.Response != pulse.NudgeApplied {
		n := *na.nudge
		n.Response, n.Report, n.AnsweredAt = pulse.NudgeNotYet, "", b.clock.Now()
		if err := b.store.SaveNudge(ctx, &n); err != nil {
			return fmt.Errorf("save nudge answer %s+%d of %s: %w", n.TrainingID, n.Day, n.UserID, err)
		}
		na.nudge = &n
	}
	channel, ts := r.Interaction.Container.ChannelID, r.Interaction.Container.MessageTs
	if channel != "" && ts != "" {
		r.Later(func(ctx context.Context) error {
			return b.updateNudgeMessage(ctx, r.lang, na, channel, ts)
		})
	}
	return nil
}

// updateNudgeMessage replaces the nudge's buttons with its answer. The
// message keeps its job metadata.
func (b *Bot) updateNudgeMessage(ctx context.Context, lang pulse.Lang, na *nudgeAnswer, channel, ts string) error {
	t := b.voice(lang)
	done := "notices.nudge_not_yet_done"
	if na.nudge.Response == pulse.NudgeApplied {
		done = "notices.nudge_reported"
	}
	text := t.T(done, nil)
	key := pulse.NudgeKey(na.team.ID, na.nudge.UserID, na.training.ID, na.nudge.Day)
	_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts,
		slack.MsgOptionText(text, false),
		slack.MsgOptionBlocks(nudgeQuestion(t, na.training.Skill, na.training.Date), contextBlock(text)),
		slack.MsgOptionMetadata(jobMetadata(key)),
	)
	return wrapAPI("chat.update", err)
}
