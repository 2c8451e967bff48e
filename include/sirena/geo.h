/* geo.h - where the user is, and whether an alert's area covers it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/event.h"

G_BEGIN_DECLS

/* the user's place for alerts that name areas, not regions: a point (with an optional radius
 * around it) and/or the geocodes the user lists (SAME=006037, UGC=CAZ041, ARS=091620000000) */
typedef struct {
	gboolean has_point;
	double lat;
	double lon;
	double radius_km;    /* 0: the point itself */
	GPtrArray *geocodes; /* of SrGeocode*, owned */
} SrLocation;

SrLocation *sr_location_new(void);
void sr_location_free(SrLocation *location);
SrLocation *sr_location_copy(const SrLocation *location);
void sr_location_add_geocode(SrLocation *location, const char *name, const char *value);
/* TRUE when the location says anything: a point or at least one geocode */
gboolean sr_location_is_set(const SrLocation *location);

/* great-circle distance in km (haversine, mean Earth radius 6371.0088 km) */
double sr_geo_distance_km(double lat1, double lon1, double lat2, double lon2);
/* point in a closed ring of (lat, lon) points, even-odd rule; rings that cross the
 * antimeridian (a longitude step over 180°) are handled by unwrapping longitudes */
gboolean sr_geo_point_in_polygon(const SrPoint *ring, guint n_points, double lat, double lon);
/* the shortest distance in km from the point to the ring's edges, 0 when inside */
double sr_geo_distance_to_polygon_km(const SrPoint *ring, guint n_points, double lat, double lon);

/* whether @area concerns @location: a polygon containing the point (or within radius_km of it),
 * a circle whose disc reaches it, or a geocode equal (name case-insensitive, value exact) to one
 * the user lists; FALSE for an unset location */
gboolean sr_location_matches_area(const SrLocation *location, const SrArea *area);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrLocation, sr_location_free)

G_END_DECLS
