"""Production settings for the load benchmark, with collected static files outside the tree."""

import os
from pathlib import Path

from rota.settings import *  # noqa: F403

# The benchmark collects static files here, not into var/static of the working tree.
STATIC_ROOT = Path(os.environ.get("LOAD_STATIC_ROOT", "/tmp/rota-load-static"))
