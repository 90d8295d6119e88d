package main

import (
	"errors"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot"
	"github.com/salespulse/pulse/crm/salesforce"
)

// CRMs builds a client for each CRM the environment holds credentials
// for; a CRM with none is absent, and a team reading from it is told its
// credential is refused. A CRM with half its settings is an error naming
// the missing variable.
func (c *Config) CRMs() (map[pulse.CRMKind]pulse.CRM, error) {
	out := map[pulse.CRMKind]pulse.CRM{}
	var errs []error
	if !c.HubSpotToken.IsZero() {
		cl, err := hubspot.New(hubspot.Config{Token: c.HubSpotToken, BaseURL: c.HubSpotAPIURL})
		if err != nil {
			errs = append(errs, fmt.Errorf("PULSE_HUBSPOT_TOKEN: %w", err))
		} else {
			out[pulse.CRMHubSpot] = cl
		}
	}
	// The activity types and the plan are checked even without a token,
	// so a mistake shows before the token is added.
	_, pdErr := c.pipedriveSettings()
	if pdErr != nil {
		errs = append(errs, pdErr)
	}
	switch {
	case c.PipedriveToken.IsZero():
	case c.PipedriveDomain == "":
		errs = append(errs, errors.New("PULSE_PIPEDRIVE_DOMAIN is not set, and PULSE_PIPEDRIVE_TOKEN needs it"))
	case pdErr == nil:
		cl, err := c.pipedriveClient()
		if err != nil {
			errs = append(errs, err)
		} else {
			out[pulse.CRMPipedrive] = cl
		}
	}
	if c.SalesforceLoginURL != "" || c.SalesforceClientID != "" || !c.SalesforceClientSecret.IsZero() {
		cl, err := salesforce.New(salesforce.Config{LoginURL: c.SalesforceLoginURL, ClientID: c.SalesforceClientID, ClientSecret: c.SalesforceClientSecret})
		if err != nil {
			errs = append(errs, fmt.Errorf("PULSE_SALESFORCE_LOGIN_URL, _CLIENT_ID and _CLIENT_SECRET: %w", err))
		} else {
			out[pulse.CRMSalesforce] = cl
		}
	}
	return out, errors.Join(errs...)
}
