/* SPDX-License-Identifier: MIT */
/* query.c - timeline slices with bound parameters only. */
#include "m365f-private.h"

int m365f_timeline(m365f_case *c, const m365f_timeline_filter *f,
		   m365f_row_cb cb, void *payload, m365f_error *err)
{
	m365f_timeline_filter def = M365F_TIMELINE_FILTER_INIT;
	m365f__event_filter ef = { 0 };

	m365f__error_clear(err);
	if (!c)
		return m365f__error_set(err, M365F_EINVAL, "no case");
	if (!f)
		f = &def;
	if (f->version != M365F_TIMELINE_FILTER_VERSION)
		return m365f__error_set(err, M365F_EVERSION,
					"timeline filter version %u not "
					"supported",
					f->version);
	ef.user = f->user;
	ef.ip = f->ip;
	ef.since = f->since;
	ef.until = f->until;
	ef.operation = f->operation;
	ef.workload = f->workload;
	ef.session = f->session;
	ef.product = f->product;
	ef.limit = f->limit;
	return m365f__filter_rows(
		c,
		"SELECT e.id, iso_time(e.time) AS time, e.user, e.client_ip,"
		" e.operation, e.workload, e.record_type, e.result, e.object,"
		" e.user_agent, e.app_id, e.session_id, e.record_id,"
		" e.product, s.path AS source, e.line"
		" FROM events e JOIN sources s ON s.id = e.source_id",
		&ef, "timeline", cb, payload, err);
}
