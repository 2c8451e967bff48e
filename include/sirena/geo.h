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

/* great-circle distance in km (haversine, mean Earth radius 6371.0088 km); antipodes give
 * half the circumference, never NaN */
double sr_geo_distance_km(double lat1, double lon1, double lat2, double lon2);
/* point in a closed ring of (lat, lon) points, even-odd rule; rings that cross the
 * antimeridian (a longitude step over 180°) are handled by unwrapping longitudes. An open ring
 * is closed implicitly; fewer than 3 points or a non-finite coordinate is never inside. Rings
 * around a pole are not handled. */
gboolean sr_geo_point_in_polygon(const SrPoint *ring, guint n_points, double lat, double lon);
/* the shortest distance in km from the point to the ring's edges, 0 when inside; the nearest
 * point of each edge is found in a local equirectangular projection around the point (exact
 * enough within the few hundred km that matter here), the distance to it is great-circle */
double sr_geo_distance_to_polygon_km(const SrPoint *ring, guint n_points, double lat, double lon);

/* whether @area concerns @location: a polygon containing the point (or within radius_km of it),
 * a circle whose disc comes within radius_km of it, or a geocode equal (name case-insensitive,
 * value exact, both after trimming whitespace) to one the user lists; a point on an edge counts
 * as inside. FALSE for an unset location and for an area that has nothing to compare. */
gboolean sr_location_matches_area(const SrLocation *location, const SrArea *area);

/* a plain decimal number ("-12.5"): no exponents, hex, nan or inf, which are no place */
gboolean sr_geo_parse_decimal(const char *str, double *out);
/* "latitude,longitude" in decimal degrees, latitude -90 to 90, longitude -180 to 180 */
gboolean sr_geo_parse_point(const char *text, double *lat, double *lon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrLocation, sr_location_free)

G_END_DECLS
