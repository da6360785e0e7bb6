"""Start-up cost of `utils`: importing it pulls in no slow library that only some functions need.

scikit-learn (with SciPy), matplotlib and torchvision add seconds to every kernel that imports
`utils` (measured with `python -X importtime`; see README, "Performance"); they are imported on
first use instead. The digits are read without scikit-learn, identical to `load_digits()`.
"""

import subprocess
import sys

import numpy as np
import pytest

from tools.course import ROOT

SLOW = ("sklearn", "scipy", "matplotlib", "torchvision")
MODULES = ("utils", "utils.env", "utils.checks", "utils.train", "utils.data", "utils.detection_data",
           "utils.plot", "utils.pixel_conv")


def imported_after(code):
    """Top-level packages among SLOW that `code` leaves in sys.modules, in a fresh interpreter."""
    probe = f"import sys\n{code}\nprint(','.join(m for m in {SLOW!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return [m for m in result.stdout.strip().split(",") if m]


def test_importing_utils_modules_imports_no_slow_library():
    assert imported_after("import " + ", ".join(MODULES)) == []


def test_loading_digits_needs_no_scikit_learn():
    assert imported_after("from utils.data import load_digit_tensors\nload_digit_tensors(8)") == []


def test_split_digits_still_uses_scikit_learn_when_called():
    code = ("from utils.data import load_digit_tensors, split_digits\n"
            "x, y = load_digit_tensors(8)\nsplit_digits(x, y)")
    assert "sklearn" in imported_after(code)


def test_digit_arrays_equal_scikit_learn_load_digits():
    from sklearn.datasets import load_digits

    from utils.data import _digits_arrays

    bunch = load_digits()
    images, target = _digits_arrays()
    assert images.dtype == bunch.images.dtype and target.dtype == bunch.target.dtype
    assert np.array_equal(images, bunch.images) and np.array_equal(target, bunch.target)


def test_digit_arrays_fall_back_to_load_digits_without_the_bundled_file(monkeypatch, tmp_path):
    import importlib.util

    from sklearn.datasets import load_digits

    from utils import data

    class Spec:
        submodule_search_locations = [str(tmp_path)]  # a "sklearn" folder with no data file

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: Spec())
    data._digits_arrays.cache_clear()
    try:
        images, target = data._digits_arrays()
    finally:
        data._digits_arrays.cache_clear()
    assert np.array_equal(images, load_digits().images) and np.array_equal(target, load_digits().target)


@pytest.mark.parametrize("name", ["show_images", "plot_histories", "plot_norm_cubes", "show_boxes"])
def test_plot_functions_import_pyplot_themselves(name):
    """Each figure function still works in a fresh interpreter (it imports pyplot when called)."""
    calls = {"show_images": "show_images(torch.zeros(1, 1, 4, 4))",
             "plot_histories": "plot_histories({'a': {'train_loss': [1.0], 'val_acc': [0.5]}})",
             "plot_norm_cubes": "plot_norm_cubes({'m': torch.ones(1, 2, 3, dtype=torch.bool)})",
             "show_boxes": "show_boxes(torch.zeros(1, 4, 4), torch.tensor([[0.0, 0.0, 2.0, 2.0]]))"}
    code = (f"import matplotlib\nmatplotlib.use('Agg')\nimport torch\nfrom utils.plot import {name}\n"
            f"{calls[name]}")
    assert "matplotlib" in imported_after(code)
