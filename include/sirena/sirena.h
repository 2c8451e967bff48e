/* sirena.h - the umbrella header: everything the parts of Sirena share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sirena/config.h"
#include "sirena/engine.h"
#include "sirena/error.h"
#include "sirena/event.h"
#include "sirena/geo.h"
#include "sirena/http.h"
#include "sirena/json.h"
#include "sirena/poller.h"
#include "sirena/region.h"
#include "sirena/source.h"
