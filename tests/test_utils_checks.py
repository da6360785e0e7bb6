"""Unit tests of utils/checks.py: every failure must say what was expected and what came."""

import functools
import re

import numpy as np
import pytest
import torch

from utils import checks


class AlwaysEqual:
    """What a student might return to fool `==`-based tests."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class SneakyTensor(torch.Tensor):
    """A tensor subclass: it could override comparisons, so it must be refused."""


def sneaky(values):
    return torch.as_tensor(values).as_subclass(SneakyTensor)


# ---------------------------------------------------------------- check_tensor


def test_check_tensor_accepts_tensor_and_parameter():
    checks.check_tensor(torch.zeros(2))
    checks.check_tensor(torch.nn.Parameter(torch.zeros(2)))
    checks.check_tensor(torch.zeros(2, dtype=torch.int64), dtype=torch.int64)
    checks.check_tensor(torch.tensor(1.0, requires_grad=True) * 2, dtype=torch.float32)


@pytest.mark.parametrize(
    "value, type_name",
    [
        (AlwaysEqual(), "AlwaysEqual"),
        (np.zeros((2, 2)), "numpy.ndarray"),
        ([1.0, 2.0], "builtins.list"),
        ((1.0,), "builtins.tuple"),
        (3.0, "builtins.float"),
        (None, "builtins.NoneType"),
        (sneaky([1.0, 2.0]), "SneakyTensor"),
    ],
)
def test_check_tensor_rejects_non_tensors_naming_the_type(value, type_name):
    with pytest.raises(AssertionError, match=r"^result: expected a torch\.Tensor, got .*"
                                             + re.escape(type_name)):
        checks.check_tensor(value)


def test_check_tensor_dtype_mismatch_names_both_dtypes():
    with pytest.raises(AssertionError,
                       match=r"^out: expected dtype torch\.float32, got torch\.float64$"):
        checks.check_tensor(torch.zeros(2, dtype=torch.float64), "out", dtype=torch.float32)


def test_check_tensor_without_name_has_no_prefix():
    with pytest.raises(AssertionError, match=r"^expected a torch\.Tensor, got builtins\.list$"):
        checks.check_tensor([1], name="")
    with pytest.raises(AssertionError, match=r"^expected a torch\.Tensor"):
        checks.check_tensor([1], name=None)


# ---------------------------------------------------------------- check_shape


def test_check_shape_passes_on_right_shape():
    checks.check_shape(torch.zeros(8, 4), (8, 4))
    checks.check_shape(torch.zeros(8, 4), torch.Size([8, 4]))
    checks.check_shape(torch.zeros(8, 4), [np.int64(8), 4])
    checks.check_shape(torch.tensor(1.0), ())


def test_check_shape_wrong_shape_message():
    with pytest.raises(AssertionError,
                       match=r"^layernorm1d\(x, \.\.\.\): expected shape \(8, 4\), got \(4, 8\)$"):
        checks.check_shape(torch.zeros(4, 8), (8, 4), "layernorm1d(x, ...)")


def test_check_shape_wrong_rank_message():
    with pytest.raises(AssertionError, match=r"expected shape \(2, 3\), got \(6,\)"):
        checks.check_shape(torch.zeros(6), (2, 3))
    with pytest.raises(AssertionError, match=r"expected shape \(1,\), got \(\)"):
        checks.check_shape(torch.tensor(0.0), (1,))


@pytest.mark.parametrize("value", [np.zeros((8, 4)), [[0.0] * 4] * 8, AlwaysEqual()])
def test_check_shape_rejects_non_tensors(value):
    with pytest.raises(AssertionError, match=r"expected a torch\.Tensor, got \S*"
                                             + re.escape(type(value).__name__) + "$"):
        checks.check_shape(value, (8, 4))


def test_check_shape_rejects_tensor_subclass():
    with pytest.raises(AssertionError, match="SneakyTensor"):
        checks.check_shape(torch.zeros(8, 4).as_subclass(SneakyTensor), (8, 4))


# ---------------------------------------------------------------- check_close


def test_check_close_passes_on_equal_and_within_tolerance():
    expected = torch.randn(3, 4, generator=torch.Generator().manual_seed(0))
    checks.check_close(expected.clone(), expected)
    checks.check_close(expected + 1e-6, expected)
    checks.check_close(expected + 0.05, expected, atol=0.1)
    checks.check_close(torch.nn.Parameter(expected.clone()), expected)
    checks.check_close(expected.clone().requires_grad_(), expected)


def test_check_close_relative_tolerance_scales_with_expected():
    expected = torch.tensor([1000.0])
    checks.check_close(torch.tensor([1000.05]), expected)  # 0.05 <= 1e-5 + 1e-4 * 1000
    with pytest.raises(AssertionError, match="max abs error"):
        checks.check_close(torch.tensor([1000.5]), expected)
    with pytest.raises(AssertionError, match=r"tolerance atol=0, rtol=0\)"):
        checks.check_close(torch.tensor([1000.05]), expected, atol=0.0, rtol=0.0)


def test_check_close_message_names_error_index_and_values():
    expected = torch.zeros(2, 3)
    expected[0, 2] = 1.2
    actual = expected.clone()
    actual[0, 2] = 0.89
    with pytest.raises(AssertionError) as info:
        checks.check_close(actual, expected, "layernorm1d(x, ...)")
    assert str(info.value) == ("layernorm1d(x, ...): max abs error 0.31 at index (0, 2): "
                               "expected 1.2, got 0.89 "
                               "(1 of 6 values out of tolerance atol=1e-05, rtol=0.0001)")


def test_check_close_reports_the_worst_element():
    expected = torch.zeros(3, 4)
    actual = expected.clone()
    actual[0, 1] = 0.1
    actual[2, 3] = -0.7
    actual[1, 0] = 0.3
    with pytest.raises(AssertionError, match=r"max abs error 0\.7 at index \(2, 3\): "
                                             r"expected 0, got -0\.7"):
        checks.check_close(actual, expected)


def test_check_close_index_in_higher_rank_tensor():
    expected = torch.zeros(2, 3, 4, 5)
    actual = expected.clone()
    actual[1, 2, 0, 3] = 5.0
    with pytest.raises(AssertionError, match=r"at index \(1, 2, 0, 3\)"):
        checks.check_close(actual, expected)


def test_check_close_scalar_tensor():
    checks.check_close(torch.tensor(1.0), torch.tensor(1.0))
    with pytest.raises(AssertionError, match=r"max abs error 1 at index \(\): expected 1, got 2"):
        checks.check_close(torch.tensor(2.0), torch.tensor(1.0))


def test_check_close_reported_error_is_the_error_at_the_reported_index():
    # element 0 is off by 0.9 but within its relative tolerance (1e-4 * 10000 = 1);
    # element 1 is off by 0.5 and fails: the message must not pair 0.9 with index (1,)
    expected = torch.tensor([10000.0, 0.0], dtype=torch.float64)
    actual = torch.tensor([10000.9, 0.5], dtype=torch.float64)
    with pytest.raises(AssertionError) as info:
        checks.check_close(actual, expected)
    found = re.search(r"max abs error (\S+) at index \((\d+),\): expected (\S+), got (\S+) ",
                      str(info.value))
    assert found, str(info.value)
    error, index, want, got = found.groups()
    assert index == "1"
    assert float(error) == pytest.approx(abs(float(want) - float(got)), rel=1e-2), str(info.value)


def test_check_close_nan_in_result_fails():
    expected = torch.ones(2, 3)
    actual = expected.clone()
    actual[1, 1] = float("nan")
    with pytest.raises(AssertionError, match=r"max abs error nan at index \(1, 1\): "
                                             r"expected 1, got nan"):
        checks.check_close(actual, expected)


def test_check_close_inf_in_result_fails():
    actual = torch.tensor([1.0, float("inf")])
    with pytest.raises(AssertionError, match=r"at index \(1,\): expected 1, got inf"):
        checks.check_close(actual, torch.ones(2))


NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(
    "actual, expected, message",
    [
        # the docstring promises "NaNs never match": a finite (or NaN) result must not pass
        ([1.0, 2.0], [1.0, NAN], r"at index \(1,\)"),
        ([1.0, NAN], [1.0, NAN], r"at index \(1,\)"),
        # a finite result, or the other infinity, does not match an infinite expected value
        ([0.0, 5.0], [0.0, INF], r"at index \(1,\): expected inf, got 5"),
        ([0.0, -INF], [0.0, INF], r"at index \(1,\): expected inf, got -inf"),
    ],
)
def test_check_close_nan_or_infinite_expected_matches_no_other_value(actual, expected, message):
    with pytest.raises(AssertionError, match=message):
        checks.check_close(torch.tensor(actual), torch.tensor(expected))


def test_check_close_same_infinity_matches():
    expected = torch.tensor([float("inf"), float("-inf"), 1.0])
    checks.check_close(expected.clone(), expected)


def test_check_close_dtype_mismatch_fails():
    with pytest.raises(AssertionError,
                       match=r"^out: expected dtype torch\.float32, got torch\.float64$"):
        checks.check_close(torch.zeros(2, dtype=torch.float64), torch.zeros(2), "out")
    with pytest.raises(AssertionError, match=r"expected dtype torch\.int64, got torch\.float32"):
        checks.check_close(torch.zeros(2), torch.zeros(2, dtype=torch.int64))


def test_check_close_shape_mismatch_fails():
    with pytest.raises(AssertionError, match=r"expected shape \(8, 4\), got \(4, 8\)"):
        checks.check_close(torch.zeros(4, 8), torch.zeros(8, 4))
    with pytest.raises(AssertionError, match=r"expected shape \(1, 4\), got \(4,\)"):
        checks.check_close(torch.zeros(4), torch.zeros(1, 4))  # broadcastable is not enough


def test_check_close_integer_and_bool_tensors():
    checks.check_close(torch.arange(5), torch.arange(5))
    with pytest.raises(AssertionError, match=r"at index \(3,\): expected 3, got 4"):
        checks.check_close(torch.tensor([0, 1, 2, 4]), torch.arange(4))
    checks.check_close(torch.tensor([True, False]), torch.tensor([True, False]))
    with pytest.raises(AssertionError, match=r"at index \(1,\)"):
        checks.check_close(torch.tensor([True, True]), torch.tensor([True, False]))


def test_check_close_empty_tensors_match():
    checks.check_close(torch.zeros(0, 3), torch.zeros(0, 3))


@pytest.mark.parametrize(
    "value, type_name",
    [
        (AlwaysEqual(), "AlwaysEqual"),
        (np.ones((2, 2), dtype=np.float32), "numpy.ndarray"),
        ([[1.0, 1.0], [1.0, 1.0]], "builtins.list"),
        (sneaky(torch.ones(2, 2)), "SneakyTensor"),
    ],
)
def test_check_close_rejects_non_tensor_results_naming_the_type(value, type_name):
    with pytest.raises(AssertionError, match=r"^result: expected a torch\.Tensor, got .*"
                                             + re.escape(type_name)):
        checks.check_close(value, torch.ones(2, 2))


def test_check_close_rejects_subclass_that_claims_closeness():
    class Liar(torch.Tensor):
        def __sub__(self, other):
            return torch.zeros(2, 2)

        def __eq__(self, other):
            return torch.ones(2, 2, dtype=torch.bool)

    with pytest.raises(AssertionError, match="Liar"):
        checks.check_close(torch.zeros(2, 2).as_subclass(Liar), torch.ones(2, 2))


@pytest.mark.parametrize("expected", [[1.0, 2.0], np.ones(2), 1.0, None])
def test_check_close_expected_must_be_a_tensor(expected):
    with pytest.raises(TypeError, match=r"`expected` must be a torch\.Tensor, got "
                                        + type(expected).__name__):
        checks.check_close(torch.ones(2), expected)


# ---------------------------------------------------------------- check_equal


def test_check_equal_passes_on_same_type_and_value():
    checks.check_equal(3, 3)
    checks.check_equal("relu", "relu")
    checks.check_equal((1, 2), (1, 2))
    checks.check_equal(None, None)
    checks.check_equal(True, True)


def test_check_equal_value_mismatch_message():
    with pytest.raises(AssertionError, match=r"^count: expected 3, got 4$"):
        checks.check_equal(4, 3, "count")
    with pytest.raises(AssertionError, match=r"^result: expected 'relu', got 'gelu'$"):
        checks.check_equal("gelu", "relu")


@pytest.mark.parametrize(
    "actual, expected, message",
    [
        (3.0, 3, r"expected a int \(3\), got a float \(3\.0\)"),
        (True, 1, r"expected a int \(1\), got a bool \(True\)"),
        ("3", 3, r"expected a int \(3\), got a str \('3'\)"),
        ([1, 2], (1, 2), r"expected a tuple \(\(1, 2\)\), got a list \(\[1, 2\]\)"),
        (np.int64(3), 3, r"expected a int \(3\), got a int64"),
        (torch.tensor(3), 3, r"expected a int \(3\), got a Tensor"),
    ],
)
def test_check_equal_type_mismatch_message(actual, expected, message):
    with pytest.raises(AssertionError, match=message):
        checks.check_equal(actual, expected)


def test_check_equal_rejects_object_equal_to_everything():
    with pytest.raises(AssertionError, match=r"expected a int \(3\), got a AlwaysEqual"):
        checks.check_equal(AlwaysEqual(), 3)


# ---------------------------------------------------------------- check_true


def test_check_true_passes_on_true_and_true_scalar_tensor():
    checks.check_true(True, "unused")
    checks.check_true(torch.tensor(True), "unused")
    checks.check_true(torch.tensor([True]), "unused")
    checks.check_true((torch.ones(3) > 0).all(), "unused")


@pytest.mark.parametrize(
    "condition",
    [False, 1, "yes", [True], np.True_, None, torch.tensor(False), torch.tensor([True, True]),
     AlwaysEqual()],
)
def test_check_true_fails_with_the_given_message(condition):
    with pytest.raises(AssertionError, match=r"^the mask must be boolean$"):
        checks.check_true(condition, "the mask must be boolean")


# ---------------------------------------------------------------- check_unchanged


def test_check_unchanged_passes_when_untouched():
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(1))
    checks.check_unchanged(x.clone(), x)


def test_check_unchanged_detects_in_place_modification():
    x = torch.zeros(3)
    before = x.clone()
    x.add_(1)
    with pytest.raises(AssertionError, match=r"^x: was modified in place; the function must "
                                             r"leave its inputs unchanged$"):
        checks.check_unchanged(before, x, "x")
    with pytest.raises(AssertionError, match=r"^input: was modified in place"):
        checks.check_unchanged(before, x)


def test_check_unchanged_detects_shape_change():
    x = torch.zeros(2, 3)
    with pytest.raises(AssertionError, match="was modified in place"):
        checks.check_unchanged(x.clone(), x.view(3, 2))


def test_check_unchanged_accepts_untouched_input_containing_nan():
    # edge-case tests feed NaN on purpose; an untouched input must not be reported as modified
    x = torch.tensor([1.0, float("nan"), 3.0])
    checks.check_unchanged(x.clone(), x, "x")


# ---------------------------------------------------------------- check_raises


def raise_value_error(message="size must be positive, got -1"):
    raise ValueError(message)


def test_check_raises_passes_when_expected_exception_comes():
    assert checks.check_raises(ValueError, raise_value_error) is None
    checks.check_raises(ValueError, raise_value_error, match=r"got -1")
    checks.check_raises(Exception, raise_value_error)  # a subclass counts


def test_check_raises_passes_arguments_through():
    calls = []

    def record(*args, **kwargs):
        calls.append((args, kwargs))
        raise KeyError("k")

    checks.check_raises(KeyError, record, 1, 2, flag=True)
    assert calls == [((1, 2), {"flag": True})]


def test_check_raises_nothing_raised_message():
    with pytest.raises(AssertionError,
                       match=r"^sorted: expected ValueError, but nothing was raised$"):
        checks.check_raises(ValueError, sorted, [3, 1])


def test_check_raises_wrong_exception_message():
    def bad():
        raise TypeError("unsupported operand")

    with pytest.raises(AssertionError,
                       match=r"^bad: expected ValueError, got TypeError: unsupported operand$"):
        checks.check_raises(ValueError, bad)


def test_check_raises_message_mismatch():
    with pytest.raises(AssertionError,
                       match=r"^raise_value_error: raised ValueError as expected, but its message "
                             r"'size must be positive, got -1' does not mention 'shape'$"):
        checks.check_raises(ValueError, raise_value_error, match="shape")


def test_check_raises_labels():
    with pytest.raises(AssertionError, match=r"^my_fn\(-1\): expected ValueError"):
        checks.check_raises(ValueError, abs, -1, name="my_fn(-1)")
    with pytest.raises(AssertionError, match=r"^<lambda>: expected ValueError"):
        checks.check_raises(ValueError, lambda: None)
    with pytest.raises(AssertionError, match=r"^function: expected ValueError"):
        checks.check_raises(ValueError, functools.partial(abs, -1))


# ---------------------------------------------------------------- check_same_layers

def conv_bn(stride=1, bias=False, momentum=0.1):
    return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, stride=stride, padding=1, bias=bias),
                               torch.nn.BatchNorm2d(4, momentum=momentum), torch.nn.ReLU())


def test_check_same_layers_passes_on_same_layers():
    checks.check_same_layers(conv_bn(), conv_bn(), "block")


def test_check_same_layers_names_missing_and_unexpected_keys():
    with pytest.raises(AssertionError, match=r"^block: state_dict keys differ from the reference: "
                                             r"missing \[\], unexpected \['0.bias'\]"):
        checks.check_same_layers(conv_bn(bias=True), conv_bn(), "block")


def test_check_same_layers_names_wrong_shapes():
    wide = torch.nn.Sequential(torch.nn.Conv2d(3, 5, 3))
    with pytest.raises(AssertionError, match=r"0.weight: expected \(4, 3, 3, 3\), got \(5, 3, 3, 3\)"):
        checks.check_same_layers(wide, torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3)), "conv")


@pytest.mark.parametrize("actual, setting", [(conv_bn(stride=2), "stride=\\(2, 2\\)"),
                                             (conv_bn(momentum=0.9), "momentum=0.9")])
def test_check_same_layers_names_the_layer_whose_settings_differ(actual, setting):
    with pytest.raises(AssertionError,
                       match=rf"^block: layer \d differs from the reference: expected .*, got .*{setting}"):
        checks.check_same_layers(actual, conv_bn(), "block")


def test_check_same_layers_ignores_layers_without_state():
    inplace = torch.nn.Sequential(*list(conv_bn())[:2], torch.nn.ReLU(inplace=True))
    checks.check_same_layers(inplace, conv_bn(), "block")


# ---------------------------------------------------------------- randomize_batchnorm

def test_randomize_batchnorm_is_seeded_in_place_and_leaves_other_layers():
    first, second = conv_bn(), conv_bn()
    second.load_state_dict(first.state_dict())
    conv_weight = first[0].weight.detach().clone()
    assert checks.randomize_batchnorm(first, seed=3) is first
    checks.randomize_batchnorm(second, seed=3)
    bn = first[1]
    for key, value in first.state_dict().items():
        assert torch.equal(value, second.state_dict()[key])
    assert torch.equal(first[0].weight, conv_weight)
    assert (bn.weight < 0).any() and (bn.weight > 0).any()
    assert not torch.equal(bn.running_mean, torch.zeros(4)) and bool((bn.running_var >= 0.5).all())


def test_randomize_batchnorm_skips_missing_affine_and_statistics():
    plain = torch.nn.BatchNorm1d(3, affine=False, track_running_stats=False)
    checks.randomize_batchnorm(plain, seed=0)
    assert plain.weight is None and plain.running_mean is None


# ---------------------------------------------------------------- check_gradients


def _inputs():
    g = torch.Generator().manual_seed(3)
    x = torch.randn(4, 5, generator=g).requires_grad_()
    w = torch.randn(5, generator=g).requires_grad_()
    return x, w


def _standardize(x, detach=False):
    mean, std = x.mean(dim=1, keepdim=True), x.std(dim=1, keepdim=True)
    if detach:
        mean, std = mean.detach(), std.detach()
    return (x - mean) / std


def test_check_gradients_passes_on_the_same_computation():
    x, w = _inputs()
    checks.check_gradients(_standardize(x) * w, _standardize(x) * w, {"x": x, "w": w})


def test_check_gradients_names_the_input_whose_gradient_differs():
    x, w = _inputs()
    with pytest.raises(AssertionError, match=r"^f: gradient with respect to x: max abs error"):
        checks.check_gradients(_standardize(x, detach=True) * w, _standardize(x) * w, {"x": x, "w": w}, "f")


def test_check_gradients_reports_a_result_without_gradient():
    x, w = _inputs()
    with torch.no_grad():
        actual = _standardize(x) * w
    with pytest.raises(AssertionError, match=r"^f: carries no gradient: it was computed under torch\.no_"):
        checks.check_gradients(actual, _standardize(x) * w, {"x": x, "w": w}, "f")


def test_check_gradients_reports_an_input_no_gradient_reaches():
    x, w = _inputs()
    with pytest.raises(AssertionError, match=r"^f: no gradient reaches w"):
        checks.check_gradients(_standardize(x) * w.detach(), _standardize(x) * w, {"x": x, "w": w}, "f")


def test_check_gradients_with_a_reference_of_its_own_inputs():
    x, w = _inputs()
    w_ref = w.detach().clone().requires_grad_()
    reference = {"x": x, "w": w_ref}
    checks.check_gradients(x * w, x * w_ref, {"x": x, "w": w}, "f", expected_inputs=reference)
    with pytest.raises(AssertionError, match=r"^f: gradient with respect to w"):
        checks.check_gradients(x * w, (x + 1) * w_ref, {"x": x, "w": w}, "f", expected_inputs=reference)


def test_check_gradients_checks_the_shape_first():
    x, w = _inputs()
    with pytest.raises(AssertionError, match=r"^f: expected shape \(4, 5\), got \(5,\)"):
        checks.check_gradients(w * 1, x * w, {"x": x, "w": w}, "f")
