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

const m365f__csv_format *const m365f__csv_formats[] = {
	&m365f__ual_csv_purview,
	&m365f__ual_csv_classic,
	&m365f__ual_csv_cmdlet,
	&m365f__ual_csv_loganalytics,
	NULL,
};

const m365f__json_format *const m365f__json_formats[] = {
	&m365f__ual_json_auditdata,
	&m365f__ual_json_wrapped,
	&m365f__ual_json_loganalytics,
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
