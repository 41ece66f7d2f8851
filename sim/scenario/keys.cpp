// The key tables of the scenario format (see keys.h). Edit here to add a key: the loader's
// unknown-key check, its hints, --set paths and the JSON Schema all follow.
#include "sim/scenario/keys.h"

namespace dcsim::scenario::keys {
namespace {

using units::Dimension;

KeyDef text(std::string_view name, bool required, std::string_view default_text, std::string_view help) {
  KeyDef k;
  k.name = name;
  k.kind = Kind::text;
  k.required = required;
  k.default_text = default_text;
  k.help = help;
  return k;
}

KeyDef integer(std::string_view name, bool required, double min, std::string_view default_text,
               std::string_view help) {
  KeyDef k = text(name, required, default_text, help);
  k.kind = Kind::integer;
  k.min = min;
  return k;
}

// A whole number, or a map of names to whole numbers (KeyDef::by_name).
KeyDef integer_by_name(std::string_view name, double min, std::string_view default_text, std::string_view help) {
  KeyDef k = integer(name, false, min, default_text, help);
  k.by_name = true;
  return k;
}

KeyDef number(std::string_view name, bool required, double min, bool exclusive, std::string_view default_text,
              std::string_view help) {
  KeyDef k = text(name, required, default_text, help);
  k.kind = Kind::number;
  k.min = min;
  k.min_exclusive = exclusive;
  return k;
}

KeyDef quantity(std::string_view name, bool required, Dimension unit, bool positive, std::string_view default_text,
                std::string_view help) {
  KeyDef k = text(name, required, default_text, help);
  k.kind = Kind::quantity;
  k.unit = unit;
  k.min = 0.0;
  k.min_exclusive = positive;
  return k;
}

KeyDef measure(std::string_view name, bool positive, std::string_view help) {
  KeyDef k = text(name, true, "", help);
  k.kind = Kind::measure;
  k.min = 0.0;
  k.min_exclusive = positive;
  return k;
}

KeyDef choice(std::string_view name, std::vector<std::string> choices, std::string_view default_text,
              std::string_view help) {
  KeyDef k = text(name, false, default_text, help);
  k.kind = Kind::choice;
  k.choices = std::move(choices);
  return k;
}

KeyDef nested(std::string_view name, Kind kind, bool required, const ObjectDef* object, std::string_view help) {
  KeyDef k = text(name, required, "", help);
  k.kind = kind;
  k.object = object;
  return k;
}

KeyDef distribution(std::string_view name, bool required, scenario::Dimension dist, std::string_view help) {
  KeyDef k = text(name, required, "", help);
  k.kind = Kind::distribution;
  k.dist = dist;
  return k;
}

// Servers already owned at the start (rack group, or hall for all its rack groups).
KeyDef installed_date() {
  KeyDef k = text("installed", false, "",
                  "Date the servers were installed, ISO 8601 UTC, at or before the start: already owned, no capex in "
                  "the horizon, depreciated for the rest of their life (default: bought at the start).");
  k.kind = Kind::date;
  return k;
}
KeyDef installed_age() {
  return integer("age_months", false, 0, "",
                 "Age of the servers at the start in whole months, instead of installed (e.g. 24: installed two "
                 "years before the start).");
}

struct Tables {
  ObjectDef stop, gpu_type, server_type, inline_server, catalog, tariff_period, electricity, rack, hall, site, arrivals,
      workload, communication, scheduler, power, climate, cooling, market, anchor, demand, colocation, escalation, depreciation, finance, failure, checkpoint,
      top, factor, limits, fabric, expansion, uncertain;
  std::vector<DistributionKindDef> kinds;
  ObjectDef service, autoscaler;  // inference services
  ObjectDef gpu_price, contract, unmet, cloud_burst;  // revenue detail and unmet demand (finance)
  ObjectDef lease;                                    // leased instead of bought servers (rack group)
  ObjectDef tenant_quota;                             // tenants: quotas under scheduler.policy fair-share
  ObjectDef initial, initial_running, initial_queued;  // warm start: jobs in the system at the start

  Tables() {
    stop = {"stop", {integer("jobs_completed", true, 1, "", "End the run once this many jobs have completed.")},
            "Conditions that end the run before the horizon."};

    gpu_type = {"GPU type",
                {text("name", true, "", "Name the servers use to refer to this GPU type."),
                 quantity("idle_power", true, Dimension::power, false, "", "Power drawn by an idle GPU, e.g. '70 W'."),
                 quantity("tdp", true, Dimension::power, true, "", "Power drawn at full load (thermal design power), e.g. '700 W'."),
                 number("bf16_tflops", false, 0, false, "0", "Dense BF16 throughput in TFLOPS (a plain number)."),
                 quantity("memory", false, Dimension::memory, false, "0 GB", "Memory per GPU, e.g. '80 GB'."),
                 quantity("price", false, Dimension::money, false, "0 USD", "Purchase price of one GPU, e.g. '25000 USD'.")},
                "A GPU type of the scenario's own catalog (overrides a built-in entry of the same name)."};

    const auto server_keys = [](bool named) {
      std::vector<KeyDef> keys;
      if (named) keys.push_back(text("name", true, "", "Name the racks use to refer to this server type."));
      keys.push_back(text("gpu", true, "", "GPU type name (built-in catalog or catalog.gpus)."));
      keys.push_back(integer("gpus", named, 1, named ? "" : "1", "GPUs per server."));
      keys.push_back(quantity("overhead_power", false, Dimension::power, false, "",
                              "Power always drawn by CPUs, NICs and fans, e.g. '2 kW' (default 0 W)."));
      keys.push_back(quantity("price", false, Dimension::money, false, "",
                              "Purchase price of one server (default: gpus x the GPU's price)."));
      keys.push_back(quantity("useful_life", false, Dimension::time, true, "",
                              "Depreciation period, e.g. '5 y' (default 5 y)."));
      return keys;
    };
    server_type = {"server type", server_keys(true), "A server type of the scenario's own catalog."};
    inline_server = {"inline server", server_keys(false), "A server described in place instead of by catalog name."};

    catalog = {"catalog",
               {nested("gpus", Kind::list, false, &gpu_type, "GPU types added to (or replacing) the built-in catalog."),
                nested("servers", Kind::list, false, &server_type, "Server types added to (or replacing) the built-in catalog.")},
               "The scenario's own catalog entries."};

    tariff_period = {"tariff period",
                     {text("name", true, "", "Period name, e.g. 'peak'; its energy is booked as energy/<name>."),
                      text("hours", true, "",
                           "Local hours 'from-to', e.g. '12-20' for 12:00 to 20:00; '22-6' wraps past midnight."),
                      choice("days", {"all", "weekdays", "weekends"}, "all", "Days the period applies on."),
                      quantity("price", true, Dimension::energy_price, false, "", "Price in the period, e.g. '0.14 USD/kWh'.")},
                     "A time-of-use period of an electricity tariff."};

    electricity = {"electricity",
                   {quantity("price", true, Dimension::energy_price, false, "",
                             "Flat electricity price, e.g. '0.08 USD/kWh'; with periods, the price outside all of them "
                             "(booked as energy/offpeak)."),
                    number("utc_offset_h", false, -12, false, "0", "Local time zone of the periods, in hours from UTC."),
                    nested("periods", Kind::list, false, &tariff_period,
                           "Time-of-use periods; the first period matching a 15-minute interval sets its price."),
                    quantity("demand_charge", false, Dimension::capacity_price, false, "0 USD/kW-month",
                             "Monthly charge on the month's peak 15-minute mean facility power, e.g. '15 USD/kW-month'.")},
                   "Electricity tariff of the site."};

    rack = {"rack group",
            {integer("count", false, 1, "1", "Number of identical racks in this group."),
             nested("server", Kind::server, true, &inline_server,
                    "Server in these racks: a catalog name (e.g. 'dgx-h100') or an inline server map."),
             integer("servers_per_rack", false, 1, "1", "Servers in each rack."),
             quantity("power_limit", false, Dimension::power, true, "",
                      "Power limit of each rack, e.g. '41 kW' (default: no limit); GPUs are capped to stay under it."),
             choice("cooling", {"air", "rear-door", "direct-liquid"}, "",
                    "Cooling of these racks (default: the hall's plant type); its density limit (air 30 kW, rear-door "
                    "75 kW, direct-liquid 150 kW per rack) is checked against the racks' planned draw."),
             number("plan_to", false, 0, true, "1",
                    "Fraction of the servers' nameplate draw that power_limit must carry (at most 1): 1 plans to the "
                    "nameplate, less oversubscribes the rack and relies on capping."),
             nested("lease", Kind::object, false, &lease,
                    "Lease the servers instead of buying them: a monthly lease line, no capex or depreciation."),
             installed_date(), installed_age()},
            "A group of identical racks."};
    lease = {"lease",
             {quantity("per_server_month", true, Dimension::money, false, "",
                       "Lease of one server per month, e.g. '12000 USD' (pro rata for partial months, escalated with "
                       "inflation).")},
             "Servers leased instead of bought."};

    climate = {"climate",
               {choice("preset", {"temperate", "hot", "cool", "cold"}, "",
                       "Sinusoidal climate preset: temperate (Ashburn VA), hot (Phoenix AZ), cool (Quincy WA), "
                       "cold (Lulea)."),
                text("epw", false, "", "Hourly EnergyPlus weather file (.epw), relative to the scenario file."),
                number("utc_offset_h", false, -12, false, "0", "Local time zone of a preset's daily cycle, in hours.")},
               "Outdoor temperature of the site: a preset or an EPW file."};
    climate.keys[2].min = -14;

    cooling = {"cooling",
               {choice("type", {"air", "rear-door", "direct-liquid"}, "air", "Cooling plant type."),
                quantity("capacity", false, Dimension::power, true, "",
                         "Installed heat rejection, e.g. '1.5 MW' (default: never limits); derated in hot weather, "
                         "heat above it throttles the hall."),
                choice("redundancy", {"N", "N+1", "2N"}, "N", "Redundancy of the plant's units; usable capacity follows."),
                integer("units", false, 1, "1", "Cooling units making up the capacity.")},
               "The hall's cooling plant: its PUE then follows load and outdoor temperature."};

    colocation = {"colocation",
                  {quantity("price", true, Dimension::capacity_price, false, "",
                            "Price per kW of contracted capacity per month, e.g. '163.44 USD/kW-month' (CBRE 2023)."),
                   quantity("contracted", true, Dimension::power, true, "", "Contracted capacity, e.g. '1.2 MW'.")},
                  "A leased hall's colocation charge."};

    fabric = {"fabric",
              {choice("topology", {"fat-tree", "rail-optimized"}, "fat-tree",
                      "fat-tree: one NIC per server on a leaf; rail-optimized: one NIC per GPU, GPU r of each server "
                      "on rail leaf r."),
               integer("radix", false, 4, "64", "Ports per switch (even), e.g. 64 for NVIDIA Quantum-2 QM9700."),
               integer("tiers", false, 2, "2", "Switch tiers: 2 (leaf-spine) or 3 (leaf-aggregation-core)."),
               text("oversubscription", false, "1:1",
                    "Downlink:uplink ratio 'R:1' at the top switch boundary (leaf->spine with 2 tiers, "
                    "aggregation->core with 3), e.g. '4:1'; every lower boundary is non-blocking."),
               quantity("link_bandwidth", false, Dimension::bandwidth, true, "400 Gb/s",
                        "Speed of every link in each direction, e.g. '400 Gb/s', '1.6 Tb/s' or '50 GB/s'."),
               quantity("link_latency", false, Dimension::latency, false, "500 ns",
                        "Latency of one link hop, e.g. '500 ns' or '1 us'."),
               quantity("switch_price", false, Dimension::money, false, "36000 USD", "Price of one switch."),
               quantity("optic_price", false, Dimension::money, false, "1000 USD",
                        "Price of one transceiver; every cable has one at each end."),
               quantity("cable_price", false, Dimension::money, false, "150 USD", "Price of one fibre cable."),
               choice("placement", {"pack", "spread"}, "pack",
                      "Where jobs go: 'pack' under as few switches as possible, 'spread' across leaves.")},
              "The hall's network fabric (docs/fabric.md), sized to the hall's servers."};

    hall = {"hall",
            {text("name", true, "", "Hall name, unique within its site."),
             quantity("power_capacity", false, Dimension::power, true, "",
                      "UPS/PDU capacity for the hall's IT load, e.g. '2 MW' (default: no limit); GPUs are capped to "
                      "stay under it."),
             choice("ups_redundancy", {"N", "N+1", "2N"}, "N",
                    "Redundancy of the UPS behind power_capacity: N uses all of it, N+1 (units-1)/units, 2N half."),
             integer("ups_units", false, 1, "1", "UPS units making up power_capacity."),
             integer_by_name("hot_spares", 0, "0",
                             "Hot-spare servers of each server type in the hall, or a map of server type name to "
                             "spares ({dgx-h100: 2}; types left out keep none): powered, idle, not scheduled; a "
                             "failed server's jobs restart at once on one instead of waiting for the repair "
                             "(docs/scenario-format.md)."),
             nested("colocation", Kind::object, false, &colocation, "Colocation lease of the hall (default: owned)."),
             nested("cooling", Kind::object, false, &cooling,
                    "Cooling plant; with it the hall's PUE is computed each hour (the site's pue is then not used "
                    "for this hall)."),
             nested("fabric", Kind::object, false, &fabric,
                    "Network fabric of the hall (default: none, the network is not modelled)."),
             nested("racks", Kind::list, true, &rack, "Rack groups in the hall (at least one)."),
             installed_date(), installed_age()},
            "A data hall."};

    site = {"site",
            {text("name", true, "", "Site name, unique in the scenario."),
             number("pue", false, 1, false, "1", "Power usage effectiveness: facility power / IT power (1 or more)."),
             nested("electricity", Kind::object, false, &electricity, "Electricity tariff (default: free)."),
             quantity("utility_feed", false, Dimension::power, true, "",
                      "Utility feed available to the site's IT load, e.g. '30 MW' (default: no limit); GPUs are "
                      "capped to stay under it."),
             quantity("backup_generation", false, Dimension::power, true, "",
                      "Backup generation (diesel or gas gensets) for the site's critical IT load, e.g. '40 MW' "
                      "(default: none); reported against the peak critical load, it never caps a run."),
             number("carbon_g_per_kwh", false, 0, false, "0",
                    "Grid carbon intensity in g CO2 per kWh (e.g. 381 for Germany in 2023, Ember)."),
             text("carbon_profile", false, "",
                  "Hourly grid carbon intensity, a CSV file relative to the scenario file: a column g_per_kwh, "
                  "one row per hour of the year from 1 January 00:00 UTC (8760 or 8784 rows), repeated each "
                  "year; replaces carbon_g_per_kwh."),
             nested("climate", Kind::object, false, &climate,
                    "Outdoor temperature, for halls with a cooling plant (default: {preset: temperate})."),
             nested("halls", Kind::list, true, &hall, "Data halls of the site (at least one).")},
            "A data-center site."};

    arrivals = {"arrivals",
                {choice("process", {"poisson", "trace"}, "poisson",
                        "Arrival process: 'poisson' at a rate, or 'trace': jobs replayed from a trace file."),
                 quantity("rate", false, Dimension::rate, false, "",
                          "Mean arrival rate at the start, e.g. '30 /day' (required for poisson)."),
                 text("file", false, "", "trace: the trace file, relative to the scenario file."),
                 choice("format", {"alibaba-2023", "alibaba-2020", "helios", "philly", "csv"}, "",
                        "trace: the file's format (docs/traces.md)."),
                 text("task_table", false, "", "trace, alibaba-2020: the pai_task_table file."),
                 choice("skip_bad_rows", {"yes", "no"}, "no",
                        "trace: leave unreadable rows out (counted) instead of failing."),
                 choice("follows", {"none", "market"}, "none",
                        "'market': the rate grows with our demand from the market projection (market:).")},
                "How jobs arrive."};

    checkpoint = {"checkpoint",
                  {quantity("interval", true, Dimension::time, true, "", "Useful work between checkpoints, e.g. '1 h'."),
                   quantity("restart", false, Dimension::time, false, "0 s",
                            "Time an interrupted job needs to restart (reload, re-initialise), e.g. '10 min'.")},
                  "Checkpoints: an interrupted job keeps its work up to the last one."};

    communication = {"communication",
                     {quantity("gradient_size", true, Dimension::memory, true, "",
                               "Bytes all-reduced per training step (ring), e.g. '20 GB'."),
                      quantity("step_time", true, Dimension::time, true, "",
                               "Compute time of one step without communication, e.g. '2 s'.")},
                     "Communication profile: a job on a hall with a fabric slows by its ring all-reduce time."};

    autoscaler = {"autoscaler",
                  {number("target_utilization", false, 0, true, "0.7",
                          "Replicas wanted = ceil(demand / (throughput x this)); at most 1."),
                   quantity("scale_up_delay", false, Dimension::time, false, "1 min",
                            "Time from a scale-up decision to the replica taking its GPUs."),
                   quantity("cold_start", false, Dimension::time, false, "2 min",
                            "Time a new replica holds its GPUs (idle) before it serves, e.g. loading weights."),
                   integer("min_replicas", false, 0, "1", "Fewest replicas."),
                   integer("max_replicas", false, 1, "10", "Most replicas."),
                   quantity("interval", false, Dimension::time, true, "5 min",
                            "How often demand is evaluated and the autoscaler decides, e.g. '5 min' or '15 min'.")},
                  "How the replica count follows demand."};
    service = {"service",
               {integer("gpus_per_replica", false, 1, "1", "GPUs one replica holds (whole servers past one server)."),
                quantity("throughput", true, Dimension::rate, true, "", "Requests one replica serves, e.g. '20 /s'."),
                quantity("latency_objective", false, Dimension::latency, false, "200 ms",
                         "Queueing wait a request should not exceed, e.g. '200 ms'."),
                number("slo_target", false, 0, true, "0.99",
                       "Share of requests that must wait at most the objective for an interval to meet it (below 1)."),
                quantity("base_rate", true, Dimension::rate, false, "", "Mean demand at the start, e.g. '120 /s'."),
                number("daily_amplitude", false, 0, false, "0", "Daily swing of demand around its mean (0..1)."),
                number("weekly_amplitude", false, 0, false, "0",
                       "Weekly swing of demand (0..1), highest mid-week, lowest at the weekend."),
                number("peak_hour", false, 0, false, "14", "UTC hour of the daily peak (0 to 24)."),
                number("growth_per_year", false, -1, true, "0", "Yearly growth of demand, e.g. 0.5 for +50 %."),
                number("noise", false, 0, false, "0",
                       "Standard deviation of the relative demand noise drawn each interval (seeded)."),
                number("tokens_per_request", false, 0, true, "",
                       "Tokens one request produces (prompt and output, as priced); reports tokens served."),
                quantity("price_per_million_tokens", false, Dimension::money, false, "",
                         "Revenue per million tokens served, e.g. '2 USD' (needs tokens_per_request); the "
                         "service's GPU-hours are then not billed per GPU-hour."),
                nested("autoscaler", Kind::object, false, &autoscaler, "How the replica count follows demand.")},
               "An inference service: replicas on the shared GPUs, its demand and its autoscaler."};

    workload = {"workload",
                {text("name", true, "", "Workload name, unique in the scenario."),
                 choice("kind", {"training", "inference"}, "training",
                        "'training': a stream of gang-scheduled jobs; 'inference': a long-lived service (service:)."),
                 text("tenant", false, "shared", "Tenant the jobs (and their costs) belong to."),
                 integer("priority", false, 0, "0",
                         "Scheduling priority with scheduler.policy priority (with fair-share, within its tenant): higher starts "
                         "first (whole number)."),
                 choice("preemptible", {"yes", "no"}, "no",
                        "Whether a job of strictly higher priority may preempt its running jobs (policy priority), "
                        "or a tenant reclaiming its guarantee (policy fair-share with reclaim)."),
                 text("gpu_type", false, "",
                      "GPU type (catalog name) the jobs or replicas must run on, e.g. 'h100-sxm' (default: any)."),
                 nested("checkpoint", Kind::object, false, &checkpoint,
                        "Checkpointing of interrupted jobs (default: none, they start over)."),
                 nested("communication", Kind::object, false, &communication,
                        "Gradient all-reduce per step (default: none, the network never slows the jobs)."),
                 number("gpu_power_fraction", false, 0, true, "1",
                        "Share of the GPUs' idle-to-TDP span drawn while a job runs (training is near 1; at most 1)."),
                 nested("arrivals", Kind::object, false, &arrivals, "How jobs arrive (required for training)."),
                 nested("service", Kind::object, false, &service, "The inference service (required for kind: inference)."),
                 distribution("gpus", false, scenario::Dimension::count,
                              "GPUs per job: a whole number or a distribution (required unless replaying a trace)."),
                 distribution("duration", false, scenario::Dimension::time_s,
                              "Run time of a job on its GPUs: a time span or a distribution (required unless replaying "
                              "a trace)."),
                 choice("duration_basis", {"full-speed", "h100"}, "full-speed",
                        "What a duration means: 'full-speed', the run time at full speed on whatever GPUs the job "
                        "gets; 'h100', the run time on H100 SXM GPUs (work in H100-equivalent GPU-hours), divided "
                        "by the relative BF16 throughput of the GPU type the job runs on."),
                 nested("time_limit", Kind::time_limit, false, nullptr,
                        "Wall-time limit users request: 'exact' (the true duration), {factor: x} (x times the true "
                        "duration, x >= 1) or a time distribution."),
                 nested("initial", Kind::object, false, &initial,
                        "Warm start: jobs already running and queued at the start, listed and/or drawn from the "
                        "workload's steady state (default: none, the workload starts empty).")},
                "A stream of jobs."};
    workload.keys[workload.keys.size() - 2].default_text = time_limit_exact;
    const auto initial_job_keys = [](bool running) {
      std::vector<KeyDef> keys;
      keys.push_back(integer("gpus", true, 1, "", "GPUs the job holds."));
      keys.push_back(quantity("waited", false, Dimension::time, false, "0 s",
                              running ? "Time it queued before it started, e.g. '2 h' (its arrival is waited + elapsed "
                                        "before the start)."
                                      : "Time it has queued before the start, e.g. '2 h' (its arrival is that long "
                                        "before the start)."));
      if (running) {
        keys.push_back(quantity("elapsed", false, Dimension::time, false, "0 s", "Time it has run before the start, e.g. '10 h'."));
        keys.push_back(quantity("remaining", true, Dimension::time, true, "", "Run time left at full speed, e.g. '30 h'."));
      } else {
        keys.push_back(quantity("duration", true, Dimension::time, true, "", "Run time at full speed, e.g. '12 h'."));
      }
      keys.push_back(quantity("time_limit", false, Dimension::time, true, "",
                              running ? "Wall-time limit of its whole run, more than elapsed (default: none, it runs "
                                        "until its work is done)."
                                      : "Wall-time limit of its run (default: none, it runs until its work is done)."));
      return keys;
    };
    initial_running = {"initial running job", initial_job_keys(true), "A job running at the start."};
    initial_queued = {"initial queued job", initial_job_keys(false), "A job in the queue at the start."};
    initial = {"initial",
               {choice("steady_state", {"yes", "no"}, "no",
                       "'yes': add the jobs in the system at the start had the workload's arrivals run before it on "
                       "a cluster with room for all (M/G/inf): residual run times, not fresh ones."),
                quantity("lookback", false, Dimension::time, true, "",
                         "Span of arrivals the steady state is drawn from (default: the longest duration, or 20 x the "
                         "mean duration when unbounded)."),
                nested("running", Kind::list, false, &initial_running,
                       "Jobs running at the start, placed at the start in this order before any other."),
                nested("queued", Kind::list, false, &initial_queued, "Jobs queued at the start, in this order.")},
               "Jobs in the system at the start (docs/scenario-format.md, \"Initial jobs\")."};

    scheduler = {"scheduler",
                 {choice("policy", {"fifo", "easy-backfill", "priority", "fair-share"}, "easy-backfill",
                         "Scheduling policy; 'priority': workloads' priority first, preempting preemptible jobs; "
                         "'fair-share': tenants below their guaranteed GPUs (tenants:) first."),
                  quantity("restart_cost", false, Dimension::time, false, "0 s",
                           "Restart time a preempted job pays when its workload has no checkpoint, e.g. '5 min'."),
                  choice("reclaim", {"yes", "no"}, "no",
                         "With fair-share: a tenant below its guarantee may preempt preemptible jobs of tenants "
                         "holding more than theirs (borrowed GPUs)."),
                  choice("inference_preempts", {"yes", "no"}, "no",
                         "An inference scale-up that finds no free GPUs preempts preemptible training jobs, "
                         "lowest priority first.")},
                 "How queued jobs are started."};

    tenant_quota = {"tenant",
                    {text("name", true, "", "Tenant name, as the workloads' tenant."),
                     integer("guaranteed_gpus", false, 0, "0", "GPUs the tenant is guaranteed under fair-share."),
                     choice("borrow", {"yes", "no"}, "yes",
                            "Whether the tenant may borrow idle GPUs beyond its guarantee."),
                     integer("max_gpus", false, 1, "",
                             "Most GPUs the tenant may hold by borrowing (default: no bound; with borrow: no, "
                             "guaranteed_gpus).")},
                    "A tenant's quota under scheduler.policy fair-share."};

    power = {"power",
             {choice("policy", {"cap", "admission"}, "cap",
                     "Over a rack, hall or site limit: 'cap' the GPUs (see cap_order) and slow their jobs, or 'admission': "
                     "hold jobs in the queue until they fit uncapped."),
              number("throughput_exponent", false, 0, false, "0.4",
                     "Throughput of a capped GPU = (power / TDP)^exponent; 0.3-0.5 near TDP from published DVFS "
                     "measurements."),
              choice("cap_order", {"uniform", "priority"}, "uniform",
                     "Who is capped at a limit: 'uniform' gives every busy GPU under it one level; 'priority' cuts "
                     "the lowest workload priority first, then the next, inference replicas last (uniform within "
                     "one priority).")},
             "Power envelope policy."};

    failure = {"failure",
               {text("name", true, "", "The cause, as reported (e.g. gpu, memory, host)."),
                choice("per", {"gpu", "server", "leaf_switch", "spine_switch", "link", "ups", "cooling_unit"}, "gpu",
                       "Whether the time between failures is per GPU, per server, per fabric switch of the halls "
                       "with a fabric (leaf_switch: leaves, spine_switch: every switch above them), per fabric link "
                       "of those halls (link: endpoint links cut their server off), per UPS unit of "
                       "the halls with a power_capacity (ups), or per unit of the halls' cooling plants with a "
                       "capacity (cooling_unit): a failed unit takes its share of the capacity out until repaired."),
                distribution("time_between", true, scenario::Dimension::time_s,
                             "Time between failures of one part, e.g. {exponential: {mean: 1500 d}}."),
                distribution("repair", true, scenario::Dimension::time_s, "Time to repair, e.g. {lognormal: {median: 4 h, sigma: 0.8}}.")},
               "A failure process on every server: the server is out until repaired and its jobs are interrupted."};

    anchor = {"market anchor",
              {integer("year", true, 1900, "", "Calendar year."),
               number("usd_bn", true, 0, true, "", "Market size that year, in billions of USD.")},
              "A known market size."};
    demand = {"demand",
              {text("dimension", false, "total", "Market dimension we sell into (e.g. workload), or 'total'."),
               text("segment", false, "total", "Segment of that dimension (e.g. model_training), or 'total'."),
               number("market_share", false, 0, true, "0.001", "Our share of that slice of the market (0..1)."),
               quantity("price", false, Dimension::gpu_hour_price, true, "3.5 USD/GPU-hour",
                        "Price per GPU-hour that turns spend into GPU-hours."),
               number("price_decline_per_year", false, 0, false, "0", "Yearly fall of that price (0..1).")},
              "Our demand: share x segment / price = GPU-hours."};
    market = {"market",
              {choice("case", {"low", "base", "high"}, "base", "Which projection drives demand."),
               nested("anchors", Kind::list, false, &anchor,
                      "Known market sizes (default: 82.3, 118.6 and 612.4 USD bn in 2025, 2026 and 2036)."),
               number("low_growth_offset", false, -1, false, "-0.04", "Low case: growth minus this many points."),
               number("high_growth_offset", false, -1, false, "0.04", "High case: growth plus this many points."),
               nested("demand", Kind::object, false, &demand, "Our share of the market.")},
              "The AI infrastructure market projection and the demand it places on us (docs/market.md)."};

    escalation = {"escalation",
                  {number("electricity", false, -1, true, "",
                          "Yearly escalation of energy prices and demand charges, e.g. 0.03 (default: inflation)."),
                   number("staff", false, -1, true, "", "Yearly escalation of staff costs (default: inflation)."),
                   number("maintenance", false, -1, true, "", "Yearly escalation of maintenance (default: inflation)."),
                   number("colocation", false, -1, true, "", "Yearly escalation of colocation (default: inflation).")},
                  "Yearly escalation rates per cost line."};

    depreciation = {"depreciation",
                    {choice("method", {"straight-line", "declining-balance"}, "straight-line",
                            "'straight-line', or 'declining-balance': double declining, switching to straight-line "
                            "when that is larger."),
                     quantity("servers", false, Dimension::time, true, "",
                              "Useful life of every server, e.g. '6 y' (default: each server type's useful_life)."),
                     quantity("facility", false, Dimension::time, true, "20 y",
                              "Useful life of facility work (expansions' capex), e.g. '20 y'."),
                     quantity("network", false, Dimension::time, true, "5 y",
                              "Useful life of hall fabrics' switches, optics and cables, e.g. '4 y'.")},
                    "How assets lose book value."};

    gpu_price = {"GPU price",
                 {text("gpu", true, "", "GPU type these prices apply to, e.g. 'h100' (one the fleet has)."),
                  quantity("on_demand", true, Dimension::gpu_hour_price, false, "",
                           "Price of an on-demand GPU-hour of this type, e.g. '2.5 USD/GPU-hour'."),
                  quantity("reserved", false, Dimension::gpu_hour_price, false, "",
                           "Price of a GPU-hour under a reserved contract, e.g. '1.9 USD/GPU-hour' (default: on_demand).")},
                 "GPU-hour prices of one GPU type, overriding finance.price for it."};
    contract = {"contract",
                {text("tenant", true, "", "Tenant holding the contract (its workloads' usage counts against it)."),
                 text("gpu", true, "", "GPU type reserved (one the fleet has)."),
                 integer("gpus", true, 1, "", "GPUs committed."),
                 text("start", false, "", "First day of the contract, ISO 8601 UTC (default: the scenario's start)."),
                 quantity("term", true, Dimension::time, true, "", "Length of the contract, e.g. '1 y'."),
                 quantity("penalty", false, Dimension::gpu_hour_price, false, "0 USD/GPU-hour",
                          "Owed per committed GPU-hour the installed fleet cannot serve and no cloud_burst takes, "
                          "e.g. '1 USD/GPU-hour' (cost category penalty).")},
                "A reserved contract: GPUs x hours billed at the reserved price whether used or not; the tenant's "
                "use of that GPU type beyond it in a month is billed on demand. Committed GPUs beyond the installed "
                "GPUs of the type go to cloud_burst, or are unbilled and owe the penalty."};
    contract.keys[3].kind = Kind::date;
    unmet = {"unmet demand",
             {quantity("max_wait", false, Dimension::time, false, "0 s",
                       "Queueing a customer accepts; GPU-hours queued beyond it are unmet demand, e.g. '24 h'.")},
             "Measure unmet demand: GPU-hours of jobs queued beyond max_wait, and the revenue lost at finance.price."};
    cloud_burst = {"cloud burst",
                   {quantity("price", true, Dimension::gpu_hour_price, false, "",
                             "What a rented cloud GPU-hour costs, e.g. '4 USD/GPU-hour' (cost category cloud)."),
                    quantity("after_wait", true, Dimension::time, true, "",
                             "A job still queued this long after its arrival leaves for the cloud, e.g. '2 h'.")},
                   "Send jobs that wait too long to a rented cloud: they leave the queue, cost price x GPUs x duration "
                   "and bring revenue as usual."};

    finance = {"finance",
               {quantity("price", false, Dimension::gpu_hour_price, false, "0 USD/GPU-hour",
                         "Revenue per allocated GPU-hour, e.g. '2.5 USD/GPU-hour' (0: no revenue)."),
                nested("prices", Kind::list, false, &gpu_price,
                       "GPU-hour prices per GPU type (on_demand, reserved), overriding price for those types."),
                nested("contracts", Kind::list, false, &contract, "Reserved contracts of tenants (default: none)."),
                number("price_decline_per_year", false, 0, false, "0",
                       "Yearly fall of every GPU-hour price, stepping down each 1 January after the start (0..1)."),
                nested("unmet", Kind::object, false, &unmet,
                       "Measure unmet demand (summary.json unmet_gpu_hours, lost_revenue_usd); default: not measured."),
                nested("cloud_burst", Kind::object, false, &cloud_burst,
                       "Send jobs that wait too long to a rented cloud (default: none, they wait)."),
                number("maintenance_per_year", false, 0, false, "0",
                       "Maintenance per year as a share of server capex, e.g. 0.05."),
                quantity("staff_per_month", false, Dimension::money, false, "0 USD", "Staff cost per month, e.g. '150000 USD'."),
                quantity("software_per_gpu_month", false, Dimension::money, false, "0 USD",
                         "Software licences per installed GPU per month, e.g. '40 USD' (escalated with inflation)."),
                quantity("transit_per_month", false, Dimension::money, false, "0 USD",
                         "Network transit (IP, cross-connects) per month, e.g. '20000 USD' (escalated with inflation)."),
                number("tax_rate", false, 0, false, "0",
                       "Income tax (0..1) on each positive fiscal year's profit before tax, no loss carry-forward."),
                text("fiscal_year_start", false, "1",
                     "First month of the fiscal year, 1-12 or a month name, e.g. 'July'; FY labelled by its end year."),
                number("discount_rate", false, 0, false, "0.08", "Yearly discount rate for NPV."),
                number("inflation", false, -1, true, "0",
                       "Yearly escalation of every cost line not named in 'escalation', e.g. 0.02 for 2 %."),
                nested("escalation", Kind::object, false, &escalation,
                       "Yearly escalation per cost line, stepping up each 1 January after the start."),
                nested("depreciation", Kind::object, false, &depreciation,
                       "Depreciation method and useful life per asset class (default: straight-line).")},
               "Revenue, other costs and discounting."};

    limits = {"limits",
              {integer("max_gpus", false, 1, "10000000", "Largest fleet, in GPUs, the run accepts."),
               integer("max_servers", false, 1, "5000000", "Largest fleet, in servers, the run accepts."),
               integer("max_hours", false, 1, "1752000",
                       "Longest horizon, in hours of hourly output, the run accepts (default 200 years).")},
              "Bounds on the size of a run; raise them explicitly for a larger fleet or a longer horizon."};

    expansion = {"expansion",
                 {text("name", true, "", "Name of the expansion, unique in the scenario; reports and plan.csv use it."),
                  text("site", true, "", "Site of the hall that grows, or whose utility feed grows."),
                  text("hall", false, "",
                       "An existing hall of the site (declare a new hall under the site, with its racks as expansions); "
                       "required with racks or power_capacity, left out for a utility_feed upgrade alone."),
                  text("online", true, "", "Date the new capacity enters service, ISO 8601 UTC, within the horizon."),
                  quantity("procurement_lead_time", false, Dimension::time, false, "0 s",
                           "From the decision to order to delivery, e.g. '26 w' (switchgear: 46-48 weeks)."),
                  quantity("build_lead_time", false, Dimension::time, false, "0 s",
                           "From delivery to online (installation, construction), e.g. '8 w'."),
                  quantity("power_capacity", false, Dimension::power, true, "",
                           "UPS capacity added to the hall at the online date, e.g. '1 MW' (the hall must have one)."),
                  quantity("utility_feed", false, Dimension::power, true, "",
                           "Utility feed added to the site at the online date, e.g. '20 MW' (the site must have a "
                           "utility_feed; give the work's capex)."),
                  quantity("capex", false, Dimension::money, false, "",
                           "Facility capex of the work, e.g. '5000000 USD' (default: 11.7M USD per MW of "
                           "power_capacity added, none without it; required with utility_feed)."),
                  nested("racks", Kind::list, false, &rack, "Rack groups installed at the online date.")},
                 "A planned expansion: racks and/or UPS capacity added to a hall, and/or utility feed added to "
                 "a site, at a date."};
    expansion.keys[3].kind = Kind::date;

    // No fixed keys: each key is a --set path, each value a distribution of plain numbers.
    uncertain = {"uncertain inputs", {},
                 "Map of key path (as in --set, e.g. sites.ashburn.pue) to {uniform: {min, max}} or "
                 "{normal: {mean, sd}}: drawn once per replication; a single run uses the mean."};

    top = {"scenario",
           {text("name", true, "", "Name of the scenario, shown in reports."),
            text("description", false, "", "Free text describing the scenario."),
            KeyDef{},
            quantity("horizon", true, Dimension::time, true, "", "Simulated time span, e.g. '90 d'."),
            quantity("warmup", false, Dimension::time, false, "0 s",
                     "Jobs arriving in this first span are left out of job statistics; less than horizon."),
            integer("seed", false, 0, "1", "Random seed (a whole number, 0 or more)."),
            nested("stop", Kind::object, false, &stop, "Conditions that end the run before the horizon."),
            nested("catalog", Kind::object, false, &catalog, "GPU and server types of the scenario's own."),
            nested("sites", Kind::list, true, &site, "Data-center sites (at least one)."),
            nested("workloads", Kind::list, true, &workload, "Job streams (at least one)."),
            nested("scheduler", Kind::object, false, &scheduler, "Job scheduler."),
            nested("tenants", Kind::list, false, &tenant_quota,
                   "Tenants' GPU quotas for scheduler.policy fair-share (default: none; unlisted tenants are "
                   "guaranteed nothing and may borrow)."),
            nested("power", Kind::object, false, &power, "What happens at a power limit."),
            nested("finance", Kind::object, false, &finance, "Revenue, other costs and discounting."),
            nested("failures", Kind::list, false, &failure, "Component failure processes (default: none)."),
            nested("market", Kind::object, false, &market,
                   "Market projection; workloads with arrivals.follows: market grow with it."),
            nested("limits", Kind::object, false, &limits, "Bounds on fleet size and horizon, raised explicitly."),
            nested("expansions", Kind::list, false, &expansion,
                   "Planned expansions: racks and power added to halls at dates (default: none)."),
            nested("uncertain", Kind::object, false, &uncertain,
                   "Uncertain inputs: key path -> distribution, sampled once per replication (default: none).")},
           "A dcsim scenario: sites of GPU racks, the jobs that arrive, and how they are scheduled."};
    top.keys[2] = text("start", true, "", "Start of the simulation, ISO 8601 UTC: '2026-01-01' or '2026-01-01T06:00:00Z'.");
    top.keys[2].kind = Kind::date;

    factor = {"time limit factor",
              {number("factor", true, 1, false, "", "Limit = factor x the true duration (1 or more).")},
              "Time limit as a multiple of the true duration."};

    const auto params = [](std::string_view what, std::vector<KeyDef> keys) {
      return ObjectDef{what, std::move(keys), ""};
    };
    kinds = {
        {"exponential", params("exponential", {measure("mean", true, "Mean.")}), "Exponential distribution."},
        {"lognormal",
         params("lognormal", {measure("median", true, "Median (exp of the underlying normal's mean)."),
                              number("sigma", true, 0, false, "", "Standard deviation of the underlying normal.")}),
         "Log-normal distribution."},
        {"normal", params("normal", {measure("mean", false, "Mean."), measure("sd", false, "Standard deviation.")}),
         "Normal distribution."},
        {"weibull",
         params("weibull", {number("shape", true, 0, true, "", "Shape (k)."), measure("scale", true, "Scale (lambda).")}),
         "Weibull distribution."},
        {"gamma",
         params("gamma", {number("shape", true, 0, true, "", "Shape (k)."), measure("scale", true, "Scale (theta).")}),
         "Gamma distribution."},
        {"uniform", params("uniform", {measure("min", false, "Smallest value."), measure("max", false, "Largest value.")}),
         "Uniform distribution on [min, max]."},
        {"discrete", params("discrete", {}),
         "Map of value: probability; probabilities sum to 1. Values are whole GPU counts or time spans."},
        {"empirical",
         params("empirical",
                {text("file", true, "", "CSV file with a header row, relative to the scenario file's folder."),
                 text("column", true, "", "Column holding the samples."),
                 text("unit", false, "", "Time unit of the samples, e.g. 'h' (durations only).")}),
         "Resample observed values from a CSV file."},
    };
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

const KeyDef* find_key(const ObjectDef& object, std::string_view name) {
  for (const KeyDef& k : object.keys)
    if (k.name == name) return &k;
  return nullptr;
}

std::vector<std::string> key_names(const ObjectDef& object) {
  std::vector<std::string> out;
  for (const KeyDef& k : object.keys) out.emplace_back(k.name);
  return out;
}

const ObjectDef& scenario_object() { return tables().top; }

std::vector<const ObjectDef*> all_objects() {
  std::vector<const ObjectDef*> out{&tables().top};
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (const KeyDef& k : out[i]->keys) {
      if (k.object == nullptr) continue;
      bool seen = false;
      for (const ObjectDef* o : out) seen = seen || o == k.object;
      if (!seen) out.push_back(k.object);
    }
  }
  return out;
}

const std::vector<DistributionKindDef>& distribution_kinds() { return tables().kinds; }

const DistributionKindDef* find_distribution_kind(std::string_view name) {
  for (const DistributionKindDef& d : tables().kinds)
    if (d.name == name) return &d;
  return nullptr;
}

std::vector<std::string> distribution_kind_names() {
  std::vector<std::string> out;
  for (const DistributionKindDef& d : tables().kinds) out.emplace_back(d.name);
  return out;
}

const ObjectDef& time_limit_factor_object() { return tables().factor; }

}  // namespace dcsim::scenario::keys
