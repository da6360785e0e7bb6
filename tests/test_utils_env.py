"""Unit tests of utils/env.py: device choice, the size knob, seeding, grading detection.

CUDA and MPS are simulated by monkeypatching `torch.cuda.is_available` and
`torch.backends.mps.is_available`, so these tests run the same on any machine.
"""

import random
import re

import numpy as np
import pytest
import torch

from utils import env


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No course variable leaks in from the shell, and the machine looks CPU-only by default."""
    for variable in ("COURSE_DEVICE", "COURSE_SIZE", "NBGRADER_EXECUTION", "COURSE_AMP",
                     "COURSE_CHANNELS_LAST"):
        monkeypatch.delenv(variable, raising=False)
    simulate(monkeypatch, cuda=False, mps=False)


def simulate(monkeypatch, cuda=False, mps=False, bf16=True):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: cuda and bf16)


def check_refused(monkeypatch, variable, value, allowed, read):
    """With `variable` set to `value`, read() raises ValueError naming the variable, the `allowed`
    values and what it got."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=re.escape(f"{variable} must be {allowed}, got {value!r}")):
        read()


# ---------------------------------------------------------------- pick_device


def test_pick_device_cpu_only_machine_returns_cpu():
    device = env.pick_device()
    assert isinstance(device, torch.device)
    assert device == torch.device("cpu")


def test_pick_device_sets_cpu_threads_from_environment(monkeypatch):
    before = torch.get_num_threads()
    try:
        env.pick_device("cpu")
        assert torch.get_num_threads() == 1
        monkeypatch.setenv("COURSE_THREADS", "2")
        env.pick_device("cpu")
        assert torch.get_num_threads() == 2
        monkeypatch.setenv("COURSE_THREADS", "two")
        with pytest.raises(ValueError, match="COURSE_THREADS must be a positive integer, got 'two'"):
            env.pick_device("cpu")
    finally:
        torch.set_num_threads(before)


def test_pick_device_leaves_threads_alone_on_a_gpu(monkeypatch):
    simulate(monkeypatch, cuda=True)
    before = torch.get_num_threads()
    monkeypatch.setenv("COURSE_THREADS", str(before + 1))
    assert env.pick_device() == torch.device("cuda")
    assert torch.get_num_threads() == before


def test_pick_device_prefers_cuda_then_mps(monkeypatch):
    simulate(monkeypatch, cuda=True, mps=True)
    assert env.pick_device() == torch.device("cuda")
    simulate(monkeypatch, cuda=False, mps=True)
    assert env.pick_device() == torch.device("mps")


def test_pick_device_forced_cpu_by_environment_even_with_cuda(monkeypatch):
    simulate(monkeypatch, cuda=True)
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert env.pick_device() == torch.device("cpu")


def test_pick_device_forced_cuda_when_present(monkeypatch):
    simulate(monkeypatch, cuda=True)
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    assert env.pick_device() == torch.device("cuda")


@pytest.mark.parametrize("forced", ["cuda", "mps"])
def test_pick_device_forced_unavailable_device_raises_naming_what_exists(monkeypatch, forced):
    monkeypatch.setenv("COURSE_DEVICE", forced)
    with pytest.raises(RuntimeError, match=rf"device '{forced}' was asked for but this machine "
                                           r"has only \['cpu'\]"):
        env.pick_device()


def test_pick_device_unavailable_lists_every_available_device(monkeypatch):
    simulate(monkeypatch, cuda=True)
    with pytest.raises(RuntimeError, match=r"'mps'.*only \['cuda', 'cpu'\]"):
        env.pick_device("mps")


def test_pick_device_argument_overrides_environment(monkeypatch):
    simulate(monkeypatch, cuda=True)
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    assert env.pick_device("cpu") == torch.device("cpu")
    assert env.pick_device(prefer="cuda") == torch.device("cuda")


def test_pick_device_empty_preference_falls_back_to_environment(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    simulate(monkeypatch, cuda=True)
    assert env.pick_device("") == torch.device("cpu")
    monkeypatch.setenv("COURSE_DEVICE", "")
    assert env.pick_device() == torch.device("cuda")


@pytest.mark.parametrize("name", ["gpu", "CPU", "cuda:0", "tpu", " cpu"])
def test_pick_device_invalid_name_raises_value_error(name):
    with pytest.raises(ValueError, match=r"device must be one of \('cuda', 'mps', 'cpu'\), got "
                                         + re.escape(repr(name))):
        env.pick_device(name)


def test_pick_device_invalid_environment_value_raises_value_error(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "gpu")
    with pytest.raises(ValueError, match=r"device must be one of .*, got 'gpu'"):
        env.pick_device()


def test_mps_missing_backend_is_treated_as_unavailable(monkeypatch):
    monkeypatch.delattr(torch.backends, "mps")
    assert env._mps_available() is False
    assert env.pick_device() == torch.device("cpu")


# ---------------------------------------------------------------- size_knob


def test_size_knob_small_on_cpu():
    assert env.size_knob() == "small"
    assert env.size_knob("cpu") == "small"
    assert env.size_knob(torch.device("cpu")) == "small"


def test_size_knob_full_on_simulated_cuda(monkeypatch):
    simulate(monkeypatch, cuda=True)
    assert env.size_knob() == "full"


def test_size_knob_full_on_simulated_mps(monkeypatch):
    simulate(monkeypatch, mps=True)
    assert env.size_knob() == "full"


@pytest.mark.parametrize("device", ["cuda", "cuda:1", "mps", torch.device("cuda", 0)])
def test_size_knob_explicit_gpu_device_is_full(device):
    # only the device type matters; no GPU is needed to ask
    assert env.size_knob(device) == "full"


def test_size_knob_follows_forced_cpu_device_on_gpu_machine(monkeypatch):
    simulate(monkeypatch, cuda=True)
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert env.size_knob() == "small"


@pytest.mark.parametrize("forced", ["small", "full"])
def test_size_knob_environment_wins(monkeypatch, forced):
    monkeypatch.setenv("COURSE_SIZE", forced)
    assert env.size_knob() == forced
    assert env.size_knob("cpu") == forced
    simulate(monkeypatch, cuda=True)
    assert env.size_knob() == forced
    assert env.size_knob("cuda") == forced


def test_size_knob_empty_environment_value_means_default(monkeypatch):
    monkeypatch.setenv("COURSE_SIZE", "")
    assert env.size_knob() == "small"


@pytest.mark.parametrize("forced", ["big", "FULL", "Small", "medium", " full"])
def test_size_knob_invalid_environment_value_raises(monkeypatch, forced):
    check_refused(monkeypatch, "COURSE_SIZE", forced, "one of ('small', 'full')", env.size_knob)


def test_size_knob_invalid_environment_value_raises_on_gpu_too(monkeypatch):
    simulate(monkeypatch, cuda=True)
    monkeypatch.setenv("COURSE_SIZE", "huge")
    with pytest.raises(ValueError, match="got 'huge'"):
        env.size_knob()


def test_size_knob_propagates_unavailable_forced_device(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    with pytest.raises(RuntimeError, match=r"device 'cuda' was asked for"):
        env.size_knob()


def test_size_knob_bad_device_string_names_it():
    with pytest.raises(RuntimeError, match="bogus"):
        env.size_knob("bogus")


# ---------------------------------------------------------------- seed_everything


def draw_all():
    return random.random(), np.random.rand(3).tolist(), torch.rand(3).tolist()


def test_seed_everything_makes_all_generators_reproducible():
    env.seed_everything(123)
    first = draw_all()
    env.seed_everything(123)
    second = draw_all()
    assert first == second
    env.seed_everything(124)
    assert draw_all() != first


def test_seed_everything_returns_seeded_generator():
    generator = env.seed_everything(7)
    assert isinstance(generator, torch.Generator)
    assert generator.initial_seed() == 7
    a = torch.rand(4, generator=generator)
    b = torch.rand(4, generator=env.seed_everything(7))
    assert torch.equal(a, b)


def test_seed_everything_returned_generator_independent_of_global_state():
    generator = env.seed_everything(5)
    torch.rand(100)  # consuming the global generator must not move the returned one
    expected = torch.rand(3, generator=torch.Generator().manual_seed(5))
    assert torch.equal(torch.rand(3, generator=generator), expected)


@pytest.mark.parametrize("seed", [0, 1, 2**32 + 5, 2**63 - 1])
def test_seed_everything_accepts_large_and_zero_seeds(seed):
    env.seed_everything(seed)
    first = draw_all()
    env.seed_everything(seed)
    assert draw_all() == first


@pytest.mark.parametrize("seed", [-1, 1.5, 3.0, "3", None, True, False, [1]])
def test_seed_everything_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*63\), got "
                       + re.escape(repr(seed))):
        env.seed_everything(seed)


def test_seed_everything_rejects_seed_too_large_for_torch_with_clear_message():
    # torch seeds are 64-bit: a bigger int must be refused by name, not by torch's internals
    with pytest.raises(ValueError, match=r"seed must be .*got 18446744073709551616"):
        env.seed_everything(2**64)


# ---------------------------------------------------------------- is_grading


def test_is_grading_false_when_unset():
    assert env.is_grading() is False


@pytest.mark.parametrize("value", ["1", "autograde", "validate"])
def test_is_grading_true_when_set(monkeypatch, value):
    monkeypatch.setenv("NBGRADER_EXECUTION", value)
    assert env.is_grading() is True


def test_is_grading_false_when_empty(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "")
    assert env.is_grading() is False


def test_is_grading_follows_environment_changes(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert env.is_grading()
    monkeypatch.delenv("NBGRADER_EXECUTION")
    assert not env.is_grading()


# ---------------------------------------------------------------- mixed precision


def test_autocast_dtype_none_on_cpu_and_mps(monkeypatch):
    assert env.autocast_dtype() is None
    assert env.autocast_dtype("cpu") is None
    simulate(monkeypatch, mps=True)
    assert env.autocast_dtype() is None


@pytest.mark.parametrize(("bf16", "expected"), [(True, torch.bfloat16), (False, torch.float16)])
def test_autocast_dtype_on_simulated_cuda(monkeypatch, bf16, expected):
    simulate(monkeypatch, cuda=True, bf16=bf16)
    assert env.autocast_dtype() == expected
    assert env.autocast_dtype("cpu") is None  # an explicit CPU device on a GPU machine stays float32


@pytest.mark.parametrize(("mode", "expected"), [("off", None), ("bfloat16", torch.bfloat16),
                                                ("float16", torch.float16), ("auto", None), ("", None)])
def test_autocast_dtype_environment_override_on_cpu(monkeypatch, mode, expected):
    monkeypatch.setenv("COURSE_AMP", mode)
    assert env.autocast_dtype() == expected


def test_autocast_dtype_off_wins_on_simulated_cuda(monkeypatch):
    simulate(monkeypatch, cuda=True)
    monkeypatch.setenv("COURSE_AMP", "off")
    assert env.autocast_dtype() is None


@pytest.mark.parametrize("mode", ["bf16", "fp16", "OFF", "on", "float32"])
def test_autocast_dtype_invalid_environment_value_raises(monkeypatch, mode):
    check_refused(monkeypatch, "COURSE_AMP", mode, "one of ('auto', 'off', 'bfloat16', 'float16')",
                  env.autocast_dtype)


def test_autocast_on_cpu_changes_nothing():
    layer = torch.nn.Linear(4, 3)
    with env.autocast("cpu"):
        out = layer(torch.randn(2, 4))
    assert out.dtype == torch.float32
    assert not torch.is_autocast_enabled("cpu")


def test_autocast_forced_bfloat16_really_runs_in_bfloat16_on_cpu(monkeypatch):
    monkeypatch.setenv("COURSE_AMP", "bfloat16")
    layer = torch.nn.Linear(4, 3)
    with env.autocast():
        out = layer(torch.randn(2, 4))
    assert out.dtype == torch.bfloat16
    assert layer.weight.dtype == torch.float32  # parameters stay float32


@pytest.mark.parametrize(("bf16", "expected"), [(True, torch.bfloat16), (False, torch.float16)])
def test_autocast_on_simulated_cuda_is_a_cuda_autocast(monkeypatch, bf16, expected):
    simulate(monkeypatch, cuda=True, bf16=bf16)
    context = env.autocast()
    assert isinstance(context, torch.autocast)
    assert context.device == "cuda" and context.fast_dtype == expected


def test_grad_scaler_disabled_on_cpu_and_passes_through():
    scaler = env.grad_scaler("cpu")
    assert isinstance(scaler, torch.amp.GradScaler) and not scaler.is_enabled()
    weight = torch.nn.Parameter(torch.ones(2))
    loss = (weight * 2).sum()
    assert scaler.scale(loss) is loss
    scaler.scale(loss).backward()
    assert torch.equal(weight.grad, torch.full((2,), 2.0))  # gradients are not scaled

    class Optimizer:  # (a real torch.optim step would import torch._dynamo under the monkeypatches)
        steps = 0

        def step(self):
            self.steps += 1

    optimizer = Optimizer()
    scaler.step(optimizer)
    scaler.update()
    assert optimizer.steps == 1


@pytest.mark.parametrize(("bf16", "enabled"), [(True, False), (False, True)])
def test_grad_scaler_enabled_only_for_float16_on_simulated_cuda(monkeypatch, bf16, enabled):
    simulate(monkeypatch, cuda=True, bf16=bf16)
    assert env.grad_scaler().is_enabled() is enabled


# ---------------------------------------------------------------- channels_last


def test_memory_format_contiguous_on_cpu_channels_last_on_simulated_cuda(monkeypatch):
    assert env.memory_format() == torch.contiguous_format
    assert env.memory_format("cuda") == torch.channels_last
    simulate(monkeypatch, cuda=True)
    assert env.memory_format() == torch.channels_last
    simulate(monkeypatch, mps=True)
    assert env.memory_format() == torch.contiguous_format


@pytest.mark.parametrize("value", ["yes", "true", "2", " 1"])
def test_memory_format_invalid_environment_value_raises(monkeypatch, value):
    check_refused(monkeypatch, "COURSE_CHANNELS_LAST", value, "'0' or '1'", env.memory_format)


def test_memory_format_environment_override(monkeypatch):
    monkeypatch.setenv("COURSE_CHANNELS_LAST", "1")
    assert env.memory_format("cpu") == torch.channels_last
    monkeypatch.setenv("COURSE_CHANNELS_LAST", "0")
    assert env.memory_format("cuda") == torch.contiguous_format


# ---------------------------------------------------------------- describe


def test_describe_on_cpu_and_simulated_cuda(monkeypatch):
    assert env.describe() == ("computing on cpu | size knob: small | autocast: off | "
                              "memory format: contiguous")
    simulate(monkeypatch, cuda=True)
    assert env.describe() == ("computing on cuda | size knob: full | autocast: bfloat16 | "
                              "memory format: channels_last")
