"""Training and evaluation loops with a progress bar and a history of metrics."""

import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from utils.env import autocast, grad_scaler, is_grading


def evaluate(model, loader, device="cpu"):
    """Return `(mean cross-entropy loss, accuracy)` of `model` over `loader`, in eval mode.

    The loader yields `(inputs [B, ...], labels [B] int64)`; the model returns logits [B, K].
    The model's training mode is restored afterwards.
    """
    was_training = model.training
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            inputs, labels = inputs.to(device), labels.to(device)
            logits = model(inputs)
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(dim=1) == labels).sum().item()
            count += labels.shape[0]
    model.train(was_training)
    if count == 0:
        raise ValueError("evaluate: the loader yielded no examples")
    return total_loss / count, correct / count


def fit(model, train_loader, val_loader=None, epochs=1, lr=0.1, momentum=0.9, weight_decay=0.0,
        optimizer=None, device="cpu", progress=True, description="training"):
    """Train `model` with cross-entropy; return a history of its metrics.

    Uses `optimizer` when given, else SGD with `lr`, `momentum` and `weight_decay`. On a CUDA GPU
    the forward pass and the loss run in mixed precision (`utils.env.autocast`, with a gradient
    scaler for float16); on the CPU in float32, unchanged.
    Returns a dict of lists: "step_loss" (one per batch), "train_loss" (mean per epoch) and, when
    `val_loader` is given, "val_loss" and "val_acc" (one per epoch). The progress bar is hidden
    while nbgrader grades, so it never writes to a graded cell's stderr.
    """
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    model.to(device)
    if optimizer is None:
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum,
                                    weight_decay=weight_decay)
    scaler = grad_scaler(device)
    history = {"step_loss": [], "train_loss": []}
    if val_loader is not None:
        history.update(val_loss=[], val_acc=[])
    bar = tqdm(total=epochs * len(train_loader), desc=description,
               disable=not progress or is_grading(), leave=False)
    for _ in range(epochs):
        model.train()
        epoch_losses = []
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)
            with autocast(device):
                loss = F.cross_entropy(model(inputs), labels)
            optimizer.zero_grad()
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            epoch_losses.append(loss.item())
            bar.update(1)
        if not epoch_losses:
            raise ValueError("fit: the training loader yielded no batches (is the data set empty?)")
        history["step_loss"].extend(epoch_losses)
        history["train_loss"].append(sum(epoch_losses) / len(epoch_losses))
        if val_loader is not None:
            val_loss, val_acc = evaluate(model, val_loader, device)
            history["val_loss"].append(val_loss)
            history["val_acc"].append(val_acc)
    bar.close()
    return history
