#pragma once

// The demo tenant's twelve months of hazard history: the hazard module's demo seeder (hazard_module.cpp).

#include "modules/demo/demo.hpp"

namespace safeloop::hazards {

// About 40 hazards a month at the steel-structure plant (welding, painting, lifting, maintenance), most
// closed with their full event history and getting faster over the year, some reworked, escalated or
// extended, a few still open (some overdue, some with leader1), closed ones older than the archive
// period archived. Bulk inserts in the caller's transaction; no outbound messages are queued.
void SeedHazards(demo::DemoContext& ctx);

}  // namespace safeloop::hazards
