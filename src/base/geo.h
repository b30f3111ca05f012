/* SPDX-License-Identifier: MIT */
/* geo.h - coordinates: the GCJ-02 datum used by Chinese map data, WGS-84
 * reported by phones, distances and point-in-polygon.
 *
 * GCJ-02 is WGS-84 shifted by a published, non-invertible-in-closed-form
 * formula (100-700 m inside China, no shift outside). geo_gcj02_to_wgs84()
 * inverts it by fixed-point iteration to well under a metre. Angles are in
 * degrees, longitude first as in GeoJSON. */
#ifndef ZC_GEO_H
#define ZC_GEO_H

#include <stdbool.h>
#include <stddef.h>

struct geo_point {
    double lng; /* degrees east */
    double lat; /* degrees north */
};

/* True if the point is inside the rough box where GCJ-02 applies. */
bool geo_in_china(struct geo_point p);

/* WGS-84 -> GCJ-02 (the forward formula). Outside China: unchanged. */
struct geo_point geo_wgs84_to_gcj02(struct geo_point wgs);

/* GCJ-02 -> WGS-84 by iteration (at most 30 steps, stops below 1e-10 deg). */
struct geo_point geo_gcj02_to_wgs84(struct geo_point gcj);

/* Great-circle distance in metres (haversine, mean earth radius). */
double geo_distance_m(struct geo_point a, struct geo_point b);

/* Even-odd rule: is p inside the closed ring pts[0..n-1] (the last point
 * may or may not repeat the first)? Points on an edge may go either way. */
bool geo_point_in_ring(struct geo_point p, const struct geo_point *pts, size_t n);

#endif
