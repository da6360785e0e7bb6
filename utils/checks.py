"""Assertion helpers for the notebooks' tests: each failure says what was expected and what came.

Every helper raises `AssertionError` with a message a student can act on, for example
`layernorm1d(x, ...): expected shape (8, 4), got (4, 8)` or
`layernorm1d(x, ...): max abs error 0.31 at index (0, 2): expected 1.2, got 0.89`.
Results must be real `torch.Tensor` objects: anything else (a list, a NumPy array, an object
that claims to equal everything) fails with the type that came.
"""

import re

import torch


def _fail(name, message):
    raise AssertionError(f"{name}: {message}" if name else message)


def check_tensor(actual, name="result", dtype=None):
    """Fail unless `actual` is a plain `torch.Tensor` (or `nn.Parameter`) of `dtype` (if given)."""
    if type(actual) not in (torch.Tensor, torch.nn.Parameter):
        _fail(name, f"expected a torch.Tensor, got {type(actual).__module__}.{type(actual).__name__}")
    if dtype is not None and actual.dtype != dtype:
        _fail(name, f"expected dtype {dtype}, got {actual.dtype}")


def check_shape(actual, expected_shape, name="result"):
    """Fail unless `actual` is a tensor of shape `expected_shape` (a tuple of ints)."""
    check_tensor(actual, name)
    expected_shape = tuple(int(s) for s in expected_shape)
    if tuple(actual.shape) != expected_shape:
        _fail(name, f"expected shape {expected_shape}, got {tuple(actual.shape)}")


def check_close(actual, expected, name="result", atol=1e-5, rtol=1e-4):
    """Fail unless tensor `actual` matches tensor `expected` in type, dtype, shape and values.

    Values match when |actual - expected| <= atol + rtol * |expected| everywhere (NaNs never
    match). The message names the worst element: its index, both values and the error.
    """
    if not isinstance(expected, torch.Tensor):
        raise TypeError(f"check_close: `expected` must be a torch.Tensor, got {type(expected).__name__}")
    check_tensor(actual, name, dtype=expected.dtype)
    check_shape(actual, expected.shape, name)
    got = actual.detach().to("cpu", torch.float64)
    want = expected.detach().to("cpu", torch.float64)
    if got.numel() == 0:
        return
    error = (got - want).abs()
    tolerance = atol + rtol * torch.where(torch.isfinite(want), want.abs(), torch.zeros_like(want))
    # equal values (infinities included) match; NaN, or an infinity on one side only, never does
    wrong = (got != want) & ~(error <= tolerance)
    if bool(wrong.any()):
        ranked = torch.where(wrong, torch.nan_to_num(error, nan=float("inf")), torch.full_like(error, -1.0))
        flat = int(torch.argmax(ranked))
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), got.shape))
        _fail(name, f"max abs error {error[index].item():.3g} at index {index}: expected "
                    f"{want[index].item():.6g}, got {got[index].item():.6g} "
                    f"({int(wrong.sum())} of {got.numel()} values out of tolerance "
                    f"atol={atol:g}, rtol={rtol:g})")


def check_equal(actual, expected, name="result"):
    """Fail unless `actual == expected` for plain Python values of the same type (int, str, ...)."""
    if type(actual) is not type(expected):
        _fail(name, f"expected a {type(expected).__name__} ({expected!r}), "
                    f"got a {type(actual).__name__} ({actual!r})")
    if not bool(expected == actual):
        _fail(name, f"expected {expected!r}, got {actual!r}")


def check_true(condition, message):
    """Fail with `message` unless `condition` is True (a bool, or a one-element bool tensor)."""
    is_true_tensor = (type(condition) is torch.Tensor and condition.dtype == torch.bool
                      and condition.numel() == 1 and bool(condition))
    if condition is not True and not is_true_tensor:
        raise AssertionError(message)


def check_unchanged(before, after, name="input"):
    """Fail if tensor `after` differs from its copy `before` (an input was modified in place).

    NaNs in the same places count as unchanged; a change of shape or dtype counts as a change.
    """
    same = (before.shape == after.shape and before.dtype == after.dtype
            and bool(((before == after) | (torch.isnan(before) & torch.isnan(after))).all()))
    if not same:
        _fail(name, "was modified in place; the function must leave its inputs unchanged")


def check_raises(exception, function, *args, match=None, name=None, **kwargs):
    """Fail unless `function(*args, **kwargs)` raises `exception` (with `match` in its message)."""
    label = name or getattr(function, "__name__", "function")
    try:
        function(*args, **kwargs)
    except exception as error:
        if match is not None and not re.search(match, str(error)):
            _fail(label, f"raised {exception.__name__} as expected, but its message {str(error)!r} "
                         f"does not mention {match!r}")
        return
    except Exception as error:  # noqa: BLE001 - we report whatever came instead
        _fail(label, f"expected {exception.__name__}, got {type(error).__name__}: {error}")
    _fail(label, f"expected {exception.__name__}, but nothing was raised")


def check_same_layers(actual, expected, name="model"):
    """Fail unless module `actual` has the state_dict keys and shapes of module `expected`, and each
    of its layers with parameters or buffers (convolutions, BatchNorm, linear) has the same settings
    (kernel size, stride, padding, bias, eps, momentum, ...), compared through the layers' repr.

    The message lists the missing and unexpected keys, the wrong shapes, or the layers that differ.
    """
    ours, theirs = actual.state_dict(), expected.state_dict()
    missing, unexpected = sorted(set(theirs) - set(ours)), sorted(set(ours) - set(theirs))
    if missing or unexpected:
        _fail(name, f"state_dict keys differ from the reference: missing {missing[:6]}, "
                    f"unexpected {unexpected[:6]} (at most 6 of each shown)")
    shapes = [f"{k}: expected {tuple(v.shape)}, got {tuple(ours[k].shape)}" for k, v in theirs.items()
              if ours[k].shape != v.shape]
    if shapes:
        _fail(name, "state_dict shapes differ from the reference: " + "; ".join(shapes[:4]))
    layers = dict(actual.named_modules(remove_duplicate=False))
    for key, layer in expected.named_modules(remove_duplicate=False):
        has_state = bool(list(layer.parameters(recurse=False)) + list(layer.buffers(recurse=False)))
        if has_state and repr(layers.get(key)) != repr(layer):
            _fail(name, f"layer {key} differs from the reference: expected {layer!r}, "
                        f"got {layers.get(key)!r}")


def randomize_batchnorm(module, seed=0):
    """Give every BatchNorm layer of `module` random scales (both signs), shifts and running
    statistics, in place, from a generator seeded with `seed`; return `module`.

    Default BatchNorm state (scale 1, shift 0, mean 0, variance 1) hides mistakes in the order of
    BatchNorm, ReLU and pooling; random state exposes them when two modules are compared.
    """
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in module.modules():
            if isinstance(layer, torch.nn.modules.batchnorm._BatchNorm):
                if layer.affine:
                    layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator))
                    layer.bias.copy_(torch.randn(layer.bias.shape, generator=generator) * 0.5)
                if layer.track_running_stats:
                    layer.running_mean.copy_(torch.randn(layer.running_mean.shape, generator=generator) * 0.5)
                    layer.running_var.copy_(torch.rand(layer.running_var.shape, generator=generator) + 0.5)
    return module


def check_gradients(actual, expected, inputs, name="result", expected_inputs=None, atol=1e-4, rtol=1e-3):
    """Fail unless `actual` passes the same gradients back to `inputs` as `expected` does.

    `inputs` is {label: tensor with requires_grad=True} that `actual` was computed from;
    `expected` was computed from the same tensors, or from `expected_inputs` (same labels) when
    the reference has its own (a reference module's parameters). Both outputs are weighted by the
    same fixed random tensor and summed, so every output element matters; the message names the
    input whose gradient differs, or says that none reached it.
    """
    check_shape(actual, expected.shape, name)
    if not actual.requires_grad:
        _fail(name, "carries no gradient: it was computed under torch.no_grad() or from detached "
                    "tensors, so training could not update anything before it")
    expected_inputs = inputs if expected_inputs is None else expected_inputs
    weights = torch.randn(tuple(expected.shape), generator=torch.Generator().manual_seed(0),
                          dtype=expected.dtype).to(expected.device)
    labels = list(inputs)
    got = torch.autograd.grad((actual * weights).sum(), [inputs[k] for k in labels],
                              allow_unused=True, retain_graph=True)
    want = torch.autograd.grad((expected * weights).sum(), [expected_inputs[k] for k in labels],
                               allow_unused=True, retain_graph=True)
    for label, g, w in zip(labels, got, want, strict=True):
        if g is None and w is not None:
            _fail(name, f"no gradient reaches {label}: it does not take part in the computation, or "
                        "it was detached on the way")
        if w is not None:
            check_close(g, w, f"{name}: gradient with respect to {label}", atol=atol, rtol=rtol)
