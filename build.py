#!/usr/bin/env python3
# PYTHON_ARGCOMPLETE_OK
"""Build the microsite: ``python build.py [build|import|check] ...`` (see --help)."""

import sys
from pathlib import Path

from microsite.cli import main

if __name__ == "__main__":
    sys.exit(main(default_root=Path(__file__).resolve().parent))
