"""Importing a Python file by its path: for tools/crosscheck.py and for its runner
(tools/crosscheck_runner.py), which gets a copy of this file next to it in the sandbox. The standard
library only: the runner may import nothing of the course."""

import importlib.util
import sys


def load_module(name, path):
    """Import the file `path` as module `name`, registered in sys.modules (so that a module loaded
    after it can import it by that name, as probe modules do probe_common)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
