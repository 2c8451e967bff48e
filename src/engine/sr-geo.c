/* sr-geo.c - where the user is, and whether an alert's area covers it
 *
 * Areas come from CAP (polygons, circles, geocodes) and are a few km to a few hundred km wide.
 * Distances are great-circle (haversine on a sphere). The distance to a polygon's edge finds the
 * edge's nearest point in a local equirectangular projection around the user's point, then
 * measures to it on the sphere: the projection is faithful near the point, which is where a
 * radius (at most 500 km) can make the difference, and its error is far below the precision
 * areas are drawn with. Edges are straight in latitude and longitude, as CAP draws them, not
 * great circles. Rings that cross the antimeridian (Fiji, the Aleutians) are unwrapped; rings
 * around a pole and holes (CAP has none) are not handled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-geo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/geo.h"

#define EARTH_RADIUS_KM 6371.0088
#define DEG_TO_RAD      (G_PI / 180.0)
/* a point on an area's edge is in the area: rounding must not decide that */
#define EDGE_TOLERANCE_KM 0.001

SrLocation *
sr_location_new(void)
{
	SrLocation *location = g_new0(SrLocation, 1);
	location->geocodes = g_ptr_array_new_with_free_func((GDestroyNotify)sr_geocode_free);
	return location;
}

void
sr_location_free(SrLocation *location)
{
	if (location == NULL)
		return;
	g_ptr_array_unref(location->geocodes);
	g_free(location);
}

SrLocation *
sr_location_copy(const SrLocation *location)
{
	SrLocation *copy = NULL;
	if (location == NULL)
		return NULL;
	copy = sr_location_new();
	copy->has_point = location->has_point;
	copy->lat = location->lat;
	copy->lon = location->lon;
	copy->radius_km = location->radius_km;
	for (guint i = 0; i < location->geocodes->len; i++) {
		const SrGeocode *geocode = g_ptr_array_index(location->geocodes, i);
		sr_location_add_geocode(copy, geocode->name, geocode->value);
	}
	return copy;
}

void
sr_location_add_geocode(SrLocation *location, const char *name, const char *value)
{
	SrGeocode *geocode = NULL;
	g_return_if_fail(location != NULL);
	g_return_if_fail(name != NULL);
	g_return_if_fail(value != NULL);
	geocode = g_new0(SrGeocode, 1);
	geocode->name = g_strstrip(g_strdup(name));
	geocode->value = g_strstrip(g_strdup(value));
	g_ptr_array_add(location->geocodes, geocode);
}

gboolean
sr_location_is_set(const SrLocation *location)
{
	return location != NULL && (location->has_point || location->geocodes->len > 0);
}

double
sr_geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * DEG_TO_RAD;
	double dlon = (lon2 - lon1) * DEG_TO_RAD;
	double s1 = sin(dlat / 2);
	double s2 = sin(dlon / 2);
	double a = s1 * s1 + cos(lat1 * DEG_TO_RAD) * cos(lat2 * DEG_TO_RAD) * s2 * s2;
	/* rounding can push a just past 1 for antipodes, and sqrt(1 - a) would be NaN */
	a = CLAMP(a, 0.0, 1.0);
	return 2 * EARTH_RADIUS_KM * atan2(sqrt(a), sqrt(1 - a));
}

/* the change of longitude from @from to @to the short way round, in [-180, 180] */
static double
lon_step(double from, double to)
{
	double step = to - from;
	if (step > 180)
		step -= 360;
	else if (step < -180)
		step += 360;
	return step;
}

/* even-odd test of (lon, lat) against the ring with longitudes unwrapped: each point is placed
 * the short way round from the one before, so a ring across the antimeridian stays contiguous
 * (and may reach past ±180). The edge from the last point back to the first is walked too, so
 * an open ring counts like a closed one (for a closed ring that edge has no length). */
static gboolean
ring_contains(const SrPoint *ring, guint n_points, double lat, double lon)
{
	gboolean inside = FALSE;
	double prev_lat = ring[0].lat;
	double prev_lon = ring[0].lon;
	for (guint i = 1; i <= n_points; i++) {
		const SrPoint *cur = &ring[i % n_points];
		double cur_lat = cur->lat;
		double cur_lon = prev_lon + lon_step(ring[i - 1].lon, cur->lon);
		if ((cur_lat > lat) != (prev_lat > lat)) {
			double cross = prev_lon + (cur_lon - prev_lon) * (lat - prev_lat) /
			                              (cur_lat - prev_lat);
			if (lon < cross)
				inside = !inside;
		}
		prev_lat = cur_lat;
		prev_lon = cur_lon;
	}
	return inside;
}

gboolean
sr_geo_point_in_polygon(const SrPoint *ring, guint n_points, double lat, double lon)
{
	double min_lat = G_MAXDOUBLE, max_lat = -G_MAXDOUBLE;
	double min_lon = G_MAXDOUBLE, max_lon = -G_MAXDOUBLE;
	double unwrapped = 0;

	if (ring == NULL || n_points < 3 || !isfinite(lat) || !isfinite(lon))
		return FALSE;
	/* bounding box of the unwrapped ring: most areas are nowhere near the user */
	for (guint i = 0; i < n_points; i++) {
		if (!isfinite(ring[i].lat) || !isfinite(ring[i].lon))
			return FALSE;
		unwrapped =
		    i == 0 ? ring[0].lon : unwrapped + lon_step(ring[i - 1].lon, ring[i].lon);
		min_lat = MIN(min_lat, ring[i].lat);
		max_lat = MAX(max_lat, ring[i].lat);
		min_lon = MIN(min_lon, unwrapped);
		max_lon = MAX(max_lon, unwrapped);
	}
	if (lat < min_lat || lat > max_lat)
		return FALSE;
	/* an unwrapped ring may lie past ±180: the point may be there under another name */
	for (int turn = -1; turn <= 1; turn++) {
		double candidate = lon + 360.0 * turn;
		if (candidate < min_lon || candidate > max_lon)
			continue;
		if (ring_contains(ring, n_points, lat, candidate))
			return TRUE;
	}
	return FALSE;
}

/* the distance from (lat, lon) to the edge a-b: the nearest point is found in an equirectangular
 * projection centred on (lat, lon) (x scaled by the cosine of its latitude), which is faithful
 * near the point, where distances matter; the distance to it is then measured on the sphere */
static double
distance_to_edge_km(const SrPoint *a, const SrPoint *b, double lat, double lon)
{
	double k = cos(lat * DEG_TO_RAD);
	/* each end the short way round: from the point, then from the other end */
	double a_lon = lon + lon_step(lon, a->lon);
	double b_lon = a_lon + lon_step(a->lon, b->lon);
	double ax = (a_lon - lon) * k, ay = a->lat - lat;
	double bx = (b_lon - lon) * k, by = b->lat - lat;
	double dx = bx - ax, dy = by - ay;
	double len2 = dx * dx + dy * dy;
	double t = 0;
	if (len2 > 0)
		t = CLAMP(-(ax * dx + ay * dy) / len2, 0.0, 1.0);
	return sr_geo_distance_km(lat, lon, a->lat + t * (b->lat - a->lat),
	                          a_lon + t * (b_lon - a_lon));
}

double
sr_geo_distance_to_polygon_km(const SrPoint *ring, guint n_points, double lat, double lon)
{
	double best = INFINITY;
	if (ring == NULL || n_points == 0)
		return INFINITY;
	if (sr_geo_point_in_polygon(ring, n_points, lat, lon))
		return 0;
	if (n_points == 1)
		return sr_geo_distance_km(lat, lon, ring[0].lat, ring[0].lon);
	/* the closing edge too, so that an open ring is measured like a closed one */
	for (guint i = 0; i < n_points; i++) {
		const SrPoint *a = &ring[i == 0 ? n_points - 1 : i - 1];
		double d = distance_to_edge_km(a, &ring[i], lat, lon);
		if (d < best)
			best = d;
	}
	return best;
}

/* @a and @b equal once surrounding whitespace is ignored */
static gboolean
equal_trimmed(const char *a, const char *b, gboolean ignore_case)
{
	gsize a_len = 0, b_len = 0;
	if (a == NULL || b == NULL)
		return FALSE;
	while (g_ascii_isspace(*a))
		a++;
	while (g_ascii_isspace(*b))
		b++;
	a_len = strlen(a);
	b_len = strlen(b);
	while (a_len > 0 && g_ascii_isspace(a[a_len - 1]))
		a_len--;
	while (b_len > 0 && g_ascii_isspace(b[b_len - 1]))
		b_len--;
	if (a_len != b_len)
		return FALSE;
	if (ignore_case)
		return g_ascii_strncasecmp(a, b, a_len) == 0;
	return strncmp(a, b, a_len) == 0;
}

/* German ARS codes are hierarchical (Land 2, Regierungsbezirk 1, Kreis 2, then the Gemeinde's
 * 7 digits): a warning for a Kreis ("091620000000") concerns every Gemeinde in it, and a user
 * who gave their Kreis hears of warnings for one of its Gemeinden */
static gboolean
ars_match(const char *a, const char *b)
{
	g_autofree char *x = g_strstrip(g_strdup(a));
	g_autofree char *y = g_strstrip(g_strdup(b));
	if (strlen(x) != 12 || strlen(y) != 12)
		return FALSE;
	if (strcmp(x, y) == 0)
		return TRUE;
	return strncmp(x, y, 5) == 0 &&
	       (strcmp(x + 5, "0000000") == 0 || strcmp(y + 5, "0000000") == 0);
}

static gboolean
geocodes_match(const SrLocation *location, const GPtrArray *geocodes)
{
	for (guint i = 0; geocodes != NULL && i < geocodes->len; i++) {
		const SrGeocode *theirs = g_ptr_array_index(geocodes, i);
		for (guint j = 0; j < location->geocodes->len; j++) {
			const SrGeocode *mine = g_ptr_array_index(location->geocodes, j);
			if (!equal_trimmed(mine->name, theirs->name, TRUE))
				continue;
			if (equal_trimmed(mine->value, theirs->value, FALSE))
				return TRUE;
			if (g_ascii_strcasecmp(mine->name, "ARS") == 0 &&
			    ars_match(mine->value, theirs->value))
				return TRUE;
		}
	}
	return FALSE;
}

static gboolean
point_matches(const SrLocation *location, const SrArea *area)
{
	/* a NaN radius must not make every comparison false and hide an alert */
	double radius =
	    isfinite(location->radius_km) && location->radius_km > 0 ? location->radius_km : 0;
	for (guint i = 0; area->polygons != NULL && i < area->polygons->len; i++) {
		const GArray *ring = g_ptr_array_index(area->polygons, i);
		const SrPoint *points = (const SrPoint *)(gconstpointer)ring->data;
		if (ring->len < 3)
			continue;
		/* 0 inside; the edge itself counts as inside */
		if (sr_geo_distance_to_polygon_km(points, ring->len, location->lat,
		                                  location->lon) <= radius + EDGE_TOLERANCE_KM)
			return TRUE;
	}
	for (guint i = 0; area->circles != NULL && i < area->circles->len; i++) {
		const SrCircle *circle = &g_array_index(area->circles, SrCircle, i);
		/* CAP allows a radius of 0 for a point; a negative one is read as 0 */
		double circle_radius = circle->radius_km > 0 ? circle->radius_km : 0;
		if (sr_geo_distance_km(circle->lat, circle->lon, location->lat, location->lon) <=
		    circle_radius + radius + EDGE_TOLERANCE_KM)
			return TRUE;
	}
	return FALSE;
}

gboolean
sr_location_matches_area(const SrLocation *location, const SrArea *area)
{
	if (!sr_location_is_set(location) || area == NULL)
		return FALSE;
	if (location->has_point && point_matches(location, area))
		return TRUE;
	return geocodes_match(location, area->geocodes);
}

/* a decimal number as a person writes one ("50.4501", "-0.5", "5"): g_ascii_strtod alone would
 * also take "nan", "inf", hex and exponents, none of which is a place or a distance */
gboolean
sr_geo_parse_decimal(const char *str, double *out)
{
	const char *p = str;
	char *end = NULL;
	gboolean digits = FALSE;
	if (*p == '+' || *p == '-')
		p++;
	for (; g_ascii_isdigit(*p); p++)
		digits = TRUE;
	if (*p == '.') {
		for (p++; g_ascii_isdigit(*p); p++)
			digits = TRUE;
	}
	if (!digits || *p != '\0')
		return FALSE;
	*out = g_ascii_strtod(str, &end);
	return end != NULL && *end == '\0' && isfinite(*out);
}

gboolean
sr_geo_parse_point(const char *text, double *lat, double *lon)
{
	g_auto(GStrv) parts = NULL;
	if (text == NULL)
		return FALSE;
	parts = g_strsplit(text, ",", 3);
	return g_strv_length(parts) == 2 && sr_geo_parse_decimal(g_strstrip(parts[0]), lat) &&
	       sr_geo_parse_decimal(g_strstrip(parts[1]), lon) && *lat >= -90 && *lat <= 90 &&
	       *lon >= -180 && *lon <= 180;
}
