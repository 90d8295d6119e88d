package pulse

// KeepsDefault reports whether p, a target typed in the plan modal, is the
// default left as the modal showed it: with no plan of the rep's own among
// plans, a target equal to PlanTarget's default to the hundredth (as the
// modal writes it) is the default kept, not a plan. Left unsaved, the
// rep's target goes on following the team's target and a newcomer's pro
// rata. p has been validated (its Start is its period's first day).
func (p *Plan) KeepsDefault(team *Team, plans []Plan) bool {
	def, explicit := PlanTarget(team, plans, p.UserID, p.Metric, p.Period, p.Start)
	if explicit {
		return false
	}
	return (def == 0) == (p.Target == 0) && hundredths(def) == hundredths(p.Target)
}

// hundredths is v rounded to the hundredth, as the plan modal writes a
// target, in hundredths.
func hundredths(v float64) int64 { return int64(v*100 + 0.5) }
