"""Plans, schemes and what follows them: contracts, payments, inspections, acceptance."""
