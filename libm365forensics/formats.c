/* SPDX-License-Identifier: MIT */
/*
 * formats.c - the registry of export formats. Each product file defines
 * its formats; adding one means adding it here.
 */
#include "m365f-private.h"

extern const m365f__csv_format m365f__ual_csv_purview;
extern const m365f__csv_format m365f__ual_csv_classic;
extern const m365f__csv_format m365f__ual_csv_cmdlet;
extern const m365f__csv_format m365f__ual_csv_loganalytics;
extern const m365f__json_format m365f__ual_json_auditdata;
extern const m365f__json_format m365f__ual_json_wrapped;
extern const m365f__json_format m365f__ual_json_loganalytics;
/* Entra sign-ins, directory audits and mailbox rules */
extern const m365f__csv_format m365f__signin_csv_portal;
extern const m365f__csv_format m365f__signin_csv_loganalytics;
extern const m365f__json_format m365f__signin_json_graph;
extern const m365f__json_format m365f__signin_json_sdk;
extern const m365f__json_format m365f__signin_json_diagnostic;
extern const m365f__json_format m365f__signin_json_loganalytics;
extern const m365f__csv_format m365f__audit_csv_portal;
extern const m365f__csv_format m365f__audit_csv_loganalytics;
extern const m365f__json_format m365f__audit_json_graph;
extern const m365f__json_format m365f__audit_json_diagnostic;
extern const m365f__json_format m365f__audit_json_loganalytics;
extern const m365f__csv_format m365f__rules_csv_inboxrule;
extern const m365f__csv_format m365f__rules_csv_extractor;
extern const m365f__csv_format m365f__rules_csv_extractor_graph;
extern const m365f__csv_format m365f__rules_csv_forwarding;
extern const m365f__csv_format m365f__rules_csv_transport;
extern const m365f__json_format m365f__rules_json_inboxrule;
extern const m365f__json_format m365f__rules_json_graph;
extern const m365f__json_format m365f__rules_json_graph_owner;
extern const m365f__json_format m365f__rules_json_forwarding;
extern const m365f__json_format m365f__rules_json_transport;

const m365f__csv_format *const m365f__csv_formats[] = {
	&m365f__ual_csv_purview,
	&m365f__ual_csv_classic,
	&m365f__ual_csv_cmdlet,
	&m365f__ual_csv_loganalytics,
	/* Entra sign-ins, directory audits and mailbox rules */
	&m365f__signin_csv_portal,
	&m365f__signin_csv_loganalytics,
	&m365f__audit_csv_portal,
	&m365f__audit_csv_loganalytics,
	&m365f__rules_csv_inboxrule,
	&m365f__rules_csv_extractor,
	&m365f__rules_csv_extractor_graph,
	&m365f__rules_csv_forwarding,
	&m365f__rules_csv_transport,
	NULL,
};

const m365f__json_format *const m365f__json_formats[] = {
	&m365f__ual_json_auditdata,
	&m365f__ual_json_wrapped,
	&m365f__ual_json_loganalytics,
	/* Entra sign-ins, directory audits and mailbox rules */
	&m365f__signin_json_graph,
	&m365f__signin_json_sdk,
	&m365f__signin_json_diagnostic,
	&m365f__signin_json_loganalytics,
	&m365f__audit_json_graph,
	&m365f__audit_json_diagnostic,
	&m365f__audit_json_loganalytics,
	&m365f__rules_json_inboxrule,
	&m365f__rules_json_graph,
	&m365f__rules_json_graph_owner,
	&m365f__rules_json_forwarding,
	&m365f__rules_json_transport,
	NULL,
};

const m365f__json_format *m365f__json_format_for(const cJSON *obj)
{
	const m365f__json_format *best = NULL;
	int bs = 0, s;
	size_t i;

	for (i = 0; m365f__json_formats[i]; i++) {
		s = m365f__json_formats[i]->match(obj);
		if (s > bs) {
			bs = s;
			best = m365f__json_formats[i];
		}
	}
	return best;
}
