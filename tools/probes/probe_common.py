"""Helpers shared by the crosscheck probe modules (see tools/crosscheck.py).

tools/crosscheck loads this file as the module `probe_common` before the assignment's probe module
(in the sandbox and in the trusted parent), so a probe module imports from it:
`from probe_common import rand, randn, raises`.
"""

import torch


def rand(g, *shape, dtype=torch.float32):
    """Uniform [0, 1) tensor of `shape` drawn from the generator `g`."""
    return torch.rand(*shape, generator=g, dtype=dtype)


def randn(g, *shape, dtype=torch.float32):
    """Standard normal tensor of `shape` drawn from the generator `g`."""
    return torch.randn(*shape, generator=g, dtype=dtype)


def raises(f, *args, **kwargs):
    """True when f(*args, **kwargs) raises ValueError (any other exception, or none, is False)."""
    try:
        f(*args, **kwargs)
    except ValueError:
        return True
    except Exception:  # noqa: BLE001 - another exception is not the ValueError asked for
        return False
    return False
