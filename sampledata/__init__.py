"""Sample data for trying and measuring the portal: the demo province (`seed_demo`) and N× a
province for benchmarks (`generate_bench_data`). It writes through the domain apps and holds no
rule of its own; no domain app imports it."""
