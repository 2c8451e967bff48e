/* sr-test-util.h - helpers shared by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/region.h"

G_BEGIN_DECLS

/* the absolute path of tests/fixtures/<source>/<name> */
char *sr_test_fixture_path(const char *source, const char *name);
/* reads a fixture; aborts the test when it is missing */
char *sr_test_read_fixture(const char *source, const char *name, gsize *len);
/* the shipped catalog (data/regions-ua.json), loaded once */
const SrCatalog *sr_test_catalog(void);
/* runs the default main context until *@flag is TRUE or @timeout_ms passes (then fails the test) */
void sr_test_wait_for(const gboolean *flag, guint timeout_ms);

G_END_DECLS
