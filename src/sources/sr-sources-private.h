/* sr-sources-private.h - the source types of src/sources/, for the registry and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sirena/source.h"

G_BEGIN_DECLS

extern const SrSourceOps sr_source_alerts_in_ua;
extern const SrSourceOps sr_source_ukraine_alarm;
extern const SrSourceOps sr_source_siren_pp_ua;
extern const SrSourceOps sr_source_ubilling;
extern const SrSourceOps sr_source_replay;

/* the parsers, public-in-private so tests and fuzz targets reach them directly */
SrBatch *sr_source_alerts_in_ua_parse(const char *body, gsize len, const SrParseContext *ctx,
                                      GError **error);
SrBatch *sr_source_ukraine_alarm_parse(const char *body, gsize len, const SrParseContext *ctx,
                                       GError **error);
char *sr_source_ukraine_alarm_parse_status(const char *body, gsize len, GError **error);
SrBatch *sr_source_ubilling_parse(const char *body, gsize len, const SrParseContext *ctx,
                                  GError **error);

G_END_DECLS
