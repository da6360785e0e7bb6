"""Unit tests of utils/train.py on tiny models and tiny synthetic data (CPU, fixed seeds)."""

import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from utils import train
from utils.data import make_loader


@pytest.fixture(autouse=True)
def not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def blobs(n=64, seed=0):
    """Two well separated 2-D Gaussian blobs: `(x [n, 2] float32, y [n] int64)`."""
    generator = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    centres = torch.tensor([[-2.0, -2.0], [2.0, 2.0]])
    x = centres[y] + 0.5 * torch.randn(n, 2, generator=generator)
    return x, y


def tiny_model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))


def loaders(batch_size=16):
    x, y = blobs(64, seed=0)
    xv, yv = blobs(32, seed=1)
    return (make_loader(x, y, batch_size=batch_size, shuffle=True, seed=0),
            make_loader(xv, yv, batch_size=batch_size))


# ---------------------------------------------------------------- fit


@pytest.mark.parametrize("amp, dtype", [(None, torch.float32), ("bfloat16", torch.bfloat16)])
def test_fit_runs_the_forward_pass_in_the_mixed_precision_utils_env_chooses(monkeypatch, amp, dtype):
    """On the CPU the forward pass stays float32; COURSE_AMP=bfloat16 (as autocast picks on a GPU)
    runs it in bfloat16 through utils.env.autocast, and training still lowers the loss."""
    if amp:
        monkeypatch.setenv("COURSE_AMP", amp)
    else:
        monkeypatch.delenv("COURSE_AMP", raising=False)
    model, seen = tiny_model(), []
    model[0].register_forward_hook(lambda module, inputs, output: seen.append(output.dtype))
    train_loader, _ = loaders()
    history = train.fit(model, train_loader, epochs=3, lr=0.1, progress=False)
    assert set(seen) == {dtype}, f"forward pass dtypes {set(seen)}, expected {dtype}"
    assert history["train_loss"][-1] < history["train_loss"][0]


def test_fit_history_keys_and_lengths_without_validation():
    train_loader, _ = loaders(batch_size=16)  # 64 examples: 4 steps per epoch
    history = train.fit(tiny_model(), train_loader, epochs=2, progress=False)
    assert set(history) == {"step_loss", "train_loss"}
    assert len(history["step_loss"]) == 8
    assert len(history["train_loss"]) == 2
    assert all(isinstance(v, float) for v in history["step_loss"] + history["train_loss"])


def test_fit_history_keys_and_lengths_with_validation():
    train_loader, val_loader = loaders(batch_size=16)
    history = train.fit(tiny_model(), train_loader, val_loader, epochs=2, progress=False)
    assert set(history) == {"step_loss", "train_loss", "val_loss", "val_acc"}
    assert [len(history[k]) for k in ("step_loss", "train_loss", "val_loss", "val_acc")] == [
        8, 2, 2, 2]
    assert all(0.0 <= acc <= 1.0 for acc in history["val_acc"])
    assert all(loss >= 0.0 for loss in history["val_loss"])


def test_fit_train_loss_is_mean_of_epoch_step_losses():
    train_loader, _ = loaders(batch_size=16)
    history = train.fit(tiny_model(), train_loader, epochs=2, progress=False)
    steps = history["step_loss"]
    assert history["train_loss"] == pytest.approx([sum(steps[:4]) / 4, sum(steps[4:]) / 4])


def test_fit_loss_decreases_and_learns_separable_problem():
    train_loader, val_loader = loaders(batch_size=16)
    model = tiny_model(seed=1)
    history = train.fit(model, train_loader, val_loader, epochs=5, lr=0.1, progress=False)
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["train_loss"][-1] < 0.2
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert history["val_acc"][-1] >= 0.95
    assert model.training  # fit leaves the model in training mode


def test_fit_is_deterministic_with_fixed_seeds():
    first = train.fit(tiny_model(seed=3), loaders()[0], epochs=2, progress=False)
    second = train.fit(tiny_model(seed=3), loaders()[0], epochs=2, progress=False)
    assert first == second


def test_fit_validation_matches_evaluate():
    train_loader, val_loader = loaders()
    model = tiny_model()
    history = train.fit(model, train_loader, val_loader, epochs=1, progress=False)
    loss, acc = train.evaluate(model, val_loader)
    assert history["val_loss"][-1] == pytest.approx(loss)
    assert history["val_acc"][-1] == pytest.approx(acc)


def test_fit_uses_the_given_optimizer():
    model = tiny_model()
    before = [p.detach().clone() for p in model.parameters()]
    frozen = torch.optim.SGD(model.parameters(), lr=0.0)
    history = train.fit(model, loaders()[0], epochs=1, lr=10.0, optimizer=frozen, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    assert len(history["step_loss"]) == 4


def test_fit_updates_parameters_with_default_sgd():
    model = tiny_model()
    before = [p.detach().clone() for p in model.parameters()]
    train.fit(model, loaders()[0], epochs=1, progress=False)
    assert not all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_fit_sets_training_mode_each_epoch():
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    model.eval()
    seen = []
    model.register_forward_pre_hook(lambda module, args: seen.append(module.training))
    train.fit(model, loaders()[0], loaders()[1], epochs=2, progress=False)
    # each epoch: 4 training batches in train mode, then 2 validation batches in eval mode
    assert seen == ([True] * 4 + [False] * 2) * 2
    assert model.training


def test_fit_progress_bar_is_silent_while_grading(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    train.fit(tiny_model(), loaders()[0], epochs=1, progress=True)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_fit_progress_bar_off_writes_nothing(capsys):
    train.fit(tiny_model(), loaders()[0], epochs=1, progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_fit_progress_bar_shows_description(capsys):
    train.fit(tiny_model(), loaders()[0], epochs=1, progress=True, description="digits run")
    assert "digits run" in capsys.readouterr().err


@pytest.mark.parametrize("epochs", [0, -1, 1.5, 2.0, "2", None])
def test_fit_bad_epochs(epochs):
    model = tiny_model()
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(ValueError, match=r"^epochs must be a positive int, got "
                                         + re.escape(repr(epochs)) + "$"):
        train.fit(model, loaders()[0], epochs=epochs, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_fit_bool_epochs_is_refused():
    # bool is an int subclass; env.seed_everything and data.load_digit_tensors refuse it too
    with pytest.raises(ValueError, match=r"epochs must be a positive int, got True"):
        train.fit(tiny_model(), loaders()[0], epochs=True, progress=False)


def test_fit_empty_training_loader_is_reported_clearly():
    empty = make_loader(torch.zeros(0, 2), torch.zeros(0, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"(?i)no (examples|batches)"):
        train.fit(tiny_model(), empty, epochs=1, progress=False)


def test_fit_empty_validation_loader_raises():
    empty = make_loader(torch.zeros(0, 2), torch.zeros(0, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"^evaluate: the loader yielded no examples$"):
        train.fit(tiny_model(), loaders()[0], empty, epochs=1, progress=False)


# ---------------------------------------------------------------- evaluate


def test_evaluate_matches_manual_computation():
    model = tiny_model()
    x, y = blobs(20, seed=2)
    loss, acc = train.evaluate(model, make_loader(x, y, batch_size=6))  # uneven last batch
    with torch.no_grad():
        logits = model(x)
    assert loss == pytest.approx(F.cross_entropy(logits, y).item(), rel=1e-5)
    assert acc == pytest.approx((logits.argmax(1) == y).float().mean().item())
    assert isinstance(loss, float) and isinstance(acc, float)


def test_evaluate_perfect_and_zero_accuracy():
    class Constant(nn.Module):
        def __init__(self, label):
            super().__init__()
            self.label = label

        def forward(self, x):
            logits = torch.full((x.shape[0], 3), -10.0)
            logits[:, self.label] = 10.0
            return logits

    x, y = torch.zeros(5, 2), torch.full((5,), 1)
    loader = make_loader(x, y, batch_size=2)
    loss, acc = train.evaluate(Constant(1), loader)
    assert acc == 1.0 and loss < 1e-6
    loss, acc = train.evaluate(Constant(0), loader)
    assert acc == 0.0 and loss == pytest.approx(20.0, rel=1e-4)


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_restores_training_mode(training):
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    model.train(training)
    seen = []
    model.register_forward_pre_hook(lambda module, args: seen.append(module.training))
    train.evaluate(model, make_loader(*blobs(8), batch_size=4))
    assert seen == [False, False]  # evaluated in eval mode
    assert model.training is training
    assert all(m.training is training for m in model.modules())


def test_evaluate_is_deterministic_with_dropout_and_uses_no_grad():
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 2)).train()
    loader = make_loader(*blobs(16), batch_size=8)
    assert train.evaluate(model, loader) == train.evaluate(model, loader)
    assert all(p.grad is None for p in model.parameters())


def test_evaluate_does_not_change_parameters():
    model = tiny_model()
    before = [p.detach().clone() for p in model.parameters()]
    train.evaluate(model, make_loader(*blobs(16)))
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_empty_loader_raises_and_restores_mode(training):
    model = tiny_model().train(training)
    empty = make_loader(torch.zeros(0, 2), torch.zeros(0, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"^evaluate: the loader yielded no examples$"):
        train.evaluate(model, empty)
    assert model.training is training
    with pytest.raises(ValueError, match="yielded no examples"):
        train.evaluate(model, [])
