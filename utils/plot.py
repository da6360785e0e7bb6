"""Figures for the notebooks: image grids, training curves, the normalization-axes cubes.

matplotlib.pyplot is imported on first use, so importing this module costs no start-up time.
"""

import numpy as np
import torch


def show_images(images, titles=None, ncols=8, scale=1.4):
    """Draw `images` [B, C, H, W] (C is 1 or 3, values in [0, 1]) in a grid; return the figure."""
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or images.shape[1] not in (1, 3):
        got = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"images must be a tensor [B, C, H, W] with C in (1, 3), got {got}")
    if images.shape[0] == 0:
        raise ValueError(f"images is an empty batch: expected at least one image [B, C, H, W], "
                         f"got {tuple(images.shape)}")
    if titles is not None and len(titles) != images.shape[0]:
        raise ValueError(f"expected {images.shape[0]} titles, got {len(titles)}")
    count = images.shape[0]
    ncols = max(1, min(ncols, count))
    nrows = (count + ncols - 1) // ncols
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(scale * ncols, scale * nrows), squeeze=False)
    pictures = images.detach().cpu().clamp(0, 1).permute(0, 2, 3, 1).numpy()
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < count:
            picture = pictures[k]
            ax.imshow(picture[..., 0] if picture.shape[-1] == 1 else picture, cmap="gray",
                      vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(str(titles[k]), fontsize=9)
    fig.tight_layout()
    return fig


def plot_histories(histories, keys=("train_loss", "val_acc"), title=None):
    """Plot curves side by side, one panel per key, one line per run; return the figure.

    `histories` maps a run's name to a history from `utils.train.fit` (a dict of lists).
    "step_loss" is drawn per batch; the other keys per epoch.
    """
    if not histories:
        raise ValueError("histories is empty: pass {run name: history from utils.train.fit}")
    if not isinstance(histories, dict) or not all(isinstance(h, dict) for h in histories.values()):
        raise ValueError("histories must be {run name: history from utils.train.fit}, got a "
                         f"{type(histories).__name__} whose values are not all history dicts")
    if len(keys) == 0:
        raise ValueError(f"keys is empty: expected at least one metric name such as 'train_loss', "
                         f"got {keys!r}")
    for name, history in histories.items():
        missing = [key for key in keys if key not in history]
        if missing:
            raise ValueError(f"run {name!r} has no {missing}; it has {sorted(history)}")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 3.6), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        for name, history in histories.items():
            values = history[key]
            ax.plot(np.arange(1, len(values) + 1), values, label=name)
        ax.set_xlabel("step" if key == "step_loss" else "epoch")
        ax.set_ylabel(key.replace("_", " "))
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_norm_cubes(masks, title=None):
    """Draw one (N, C, H*W) cube per normalization, shading the elements that share statistics.

    `masks` maps a name to a boolean tensor [N, C, L] (L = H*W), True where an element is
    normalized with the same mean and variance as element (0, 0, 0), as in Figure 2 of the Group
    Normalization paper (Wu and He, 2018). Returns the figure.
    """
    if not masks:
        raise ValueError("masks is empty: pass {name: bool tensor [N, C, L]}")
    for name, mask in masks.items():
        if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool or mask.dim() != 3:
            got = (f"{mask.dtype} tensor of shape {tuple(mask.shape)}"
                   if isinstance(mask, torch.Tensor) else type(mask).__name__)
            raise ValueError(f"mask {name!r} must be a bool tensor [N, C, L], got {got}")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(3.2 * len(masks), 3.4))
    for k, (name, mask) in enumerate(masks.items()):
        ax = fig.add_subplot(1, len(masks), k + 1, projection="3d")
        shaded = mask.cpu().numpy()
        # voxel axes: x = channels C, y = batch N, z = spatial H*W
        filled = np.ones(shaded.transpose(1, 0, 2).shape, dtype=bool)
        colours = np.where(shaded.transpose(1, 0, 2)[..., None], [0.25, 0.45, 0.85, 0.9],
                           [0.92, 0.92, 0.92, 0.25])
        ax.voxels(filled, facecolors=colours, edgecolor=(0.5, 0.5, 0.5, 0.3), linewidth=0.3)
        ax.set_xlabel("C")
        ax.set_ylabel("N")
        ax.set_zlabel("H, W", labelpad=-8)
        ax.set_box_aspect(None, zoom=0.8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_zticks([])
        ax.set_title(name)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_boxes(image, boxes, labels=None, ax=None, color="tab:red", title=None):
    """Draw `image` [C, H, W] (values in [0, 1]) with `boxes` [N, 4] in pixel xyxy; return the axes.

    Coordinates are pixel edges, as in the notebooks: pixel column j covers [j, j + 1), so the image
    spans [0, W] x [0, H] and a box (3, 0, 6, 2) covers exactly columns 3..5 of rows 0..1.
    `labels` is None or N strings/ints written inside each box's top-left corner (clipped to the
    image, so a label never runs into the title).
    """
    if not isinstance(image, torch.Tensor) or image.dim() != 3 or image.shape[0] not in (1, 3):
        got = tuple(image.shape) if isinstance(image, torch.Tensor) else type(image).__name__
        raise ValueError(f"image must be a tensor [C, H, W] with C in (1, 3), got {got}")
    if not isinstance(boxes, torch.Tensor) or boxes.dim() != 2 or boxes.shape[1] != 4:
        got = tuple(boxes.shape) if isinstance(boxes, torch.Tensor) else type(boxes).__name__
        raise ValueError(f"boxes must be a tensor [N, 4] (x1, y1, x2, y2 in pixels), got {got}")
    if labels is not None and len(labels) != boxes.shape[0]:
        raise ValueError(f"expected {boxes.shape[0]} labels (one per box), got {len(labels)}")
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(3.5, 3.5))
    height, width = image.shape[1:]
    picture = image.detach().cpu().clamp(0, 1).permute(1, 2, 0).numpy()
    ax.imshow(picture[..., 0] if picture.shape[-1] == 1 else picture, cmap="gray", vmin=0, vmax=1,
              extent=(0, width, height, 0))  # pixel edges at integers, not pixel centres
    for k, (x1, y1, x2, y2) in enumerate(boxes.detach().cpu().tolist()):
        ax.add_patch(plt.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=color, linewidth=1.5))
        if labels is not None:
            ax.text(x1, y1, str(labels[k]), color="white", fontsize=8, ha="left", va="top", clip_on=True,
                    bbox={"facecolor": color, "alpha": 0.8, "pad": 1, "edgecolor": "none"})
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=9)
    return ax
