"""What every benchmark prints first: the machine it ran on."""

import os
import platform
from pathlib import Path


def machine_line():
    """'2 cores, AMD EPYC …; Python 3.11.7'."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((x.split(":", 1)[1].strip() for x in cpuinfo if "model name" in x), "?")
    return f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}"
