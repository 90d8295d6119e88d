package bot

import (
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// crmKinds are the choices of "Numbers from", typed first.
var crmKinds = []pulse.CRMKind{pulse.CRMTyped, pulse.CRMHubSpot, pulse.CRMPipedrive, pulse.CRMSalesforce}

// crmSetupBlocks are the setup form's inputs for numbers from the CRM:
// where the numbers come from, and whether reps may add what the CRM
// missed. Each metric's measure is written on its line (parseMetrics).
func crmSetupBlocks(r *Request, t *pulse.Team) []slack.Block {
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, k := range crmKinds {
		name := k.Title()
		if k == pulse.CRMTyped {
			name = r.T(limit("setup.numbers_typed", maxOptionText), nil)
		}
		value := string(k)
		if k == pulse.CRMTyped {
			value = "typed"
		}
		o := slack.NewOptionBlockObject(value, plainText(clipText(name, maxOptionText)), nil)
		opts = append(opts, o)
		if k == t.NumbersFrom {
			initial = o
		}
	}
	from := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "numbers_from", opts...)
	from.InitialOption = initial
	fromIn := slack.NewInputBlock("numbers_from", plainText(r.T("setup.label_numbers_from", nil)), plainText(r.T("setup.numbers_from_hint", nil)), from)

	topUpOpt := slack.NewOptionBlockObject("yes", plainText(clipText(r.T(limit("setup.crm_topup", maxOptionText), nil), maxOptionText)), nil)
	topUp := slack.NewCheckboxGroupsBlockElement("crm_topup", topUpOpt)
	if t.CRMTopUp {
		topUp.InitialOptions = []*slack.OptionBlockObject{topUpOpt}
	}
	topUpIn := slack.NewInputBlock("crm_topup", plainText(r.T("setup.label_crm_topup", nil)), nil, topUp)
	topUpIn.Optional = true
	return []slack.Block{fromIn, topUpIn}
}

// readCRMSetup copies the CRM inputs into t; a forged choice is an error
// under its input.
func readCRMSetup(r *Request, t *pulse.Team) pulse.ValidationErrors {
	var errs pulse.ValidationErrors
	t.NumbersFrom, t.CRMTopUp = pulse.CRMTyped, false
	if v := stateValue(r, "numbers_from"); v != nil && v.SelectedOption.Value != "" {
		k, ok := pulse.ParseCRMKind(v.SelectedOption.Value)
		if !ok {
			errs = append(errs, pulse.FieldError("numbers_from", "err.crm_kind", map[string]any{"Value": clipText(v.SelectedOption.Value, maxEchoChars)}, "numbers from %q", v.SelectedOption.Value))
		}
		t.NumbersFrom = k
	}
	if v := stateValue(r, "crm_topup"); v != nil {
		for _, o := range v.SelectedOptions {
			t.CRMTopUp = t.CRMTopUp || o.Value == "yes"
		}
	}
	return errs
}
