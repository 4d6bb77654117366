"""Rural-industry facilities and their support requests: the districts' intake."""
