"""Unit tests of utils/plot.py, drawn off screen with the Agg backend."""

import matplotlib

matplotlib.use("Agg", force=True)  # before pyplot is imported (utils.plot imports it)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from utils import plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    plt.close("all")
    yield
    plt.close("all")


def images(count, channels=1, size=8, seed=0):
    return torch.rand(count, channels, size, size, generator=torch.Generator().manual_seed(seed))


def history(epochs=3, steps=2, offset=0.0):
    return {
        "step_loss": [1.0 - 0.1 * k + offset for k in range(epochs * steps)],
        "train_loss": [1.0 - 0.2 * k + offset for k in range(epochs)],
        "val_loss": [1.1 - 0.2 * k + offset for k in range(epochs)],
        "val_acc": [0.5 + 0.1 * k for k in range(epochs)],
    }


# ---------------------------------------------------------------- show_images


def test_show_images_grid_layout():
    fig = plot.show_images(images(10), ncols=4)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 12  # 3 rows x 4 columns
    assert [len(ax.images) for ax in fig.axes] == [1] * 10 + [0] * 2
    assert all(not ax.axison for ax in fig.axes)
    assert plt.get_fignums() == [fig.number]
    plt.close(fig)
    assert plt.get_fignums() == []


def test_show_images_fewer_images_than_columns_uses_one_row():
    fig = plot.show_images(images(3), ncols=8)
    assert len(fig.axes) == 3
    width, height = fig.get_size_inches()
    assert width == pytest.approx(1.4 * 3) and height == pytest.approx(1.4)


@pytest.mark.parametrize("ncols", [0, -2])
def test_show_images_non_positive_columns_fall_back_to_one(ncols):
    fig = plot.show_images(images(2), ncols=ncols)
    assert len(fig.axes) == 2
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 1)


def test_show_images_grayscale_pixels_are_drawn_and_clamped():
    batch = images(2)
    batch[0, 0, 0, 0] = 3.0
    batch[0, 0, 0, 1] = -1.0
    fig = plot.show_images(batch)
    drawn = np.asarray(fig.axes[0].images[0].get_array())
    assert drawn.shape == (8, 8)
    assert drawn[0, 0] == 1.0 and drawn[0, 1] == 0.0
    assert np.allclose(drawn[1:], batch[0, 0, 1:].numpy())
    assert fig.axes[0].images[0].get_clim() == (0, 1)


def test_show_images_rgb():
    batch = images(2, channels=3)
    fig = plot.show_images(batch)
    drawn = np.asarray(fig.axes[1].images[0].get_array())
    assert drawn.shape == (8, 8, 3)
    assert np.allclose(drawn, batch[1].permute(1, 2, 0).numpy())


def test_show_images_titles():
    fig = plot.show_images(images(3), titles=[7, "two", 0.5])
    assert [ax.get_title() for ax in fig.axes] == ["7", "two", "0.5"]


def test_show_images_accepts_tensors_that_need_grad():
    batch = images(2).requires_grad_()
    fig = plot.show_images(batch * 1.0)
    assert len(fig.axes) == 2


def test_show_images_does_not_modify_input():
    batch = images(2) * 3 - 1
    before = batch.clone()
    plot.show_images(batch)
    assert torch.equal(batch, before)


@pytest.mark.parametrize(
    "bad, got",
    [
        (np.zeros((2, 1, 8, 8)), "got ndarray"),
        ([[0.0]], "got list"),
        (torch.zeros(1, 8, 8), r"got \(1, 8, 8\)"),
        (torch.zeros(2, 2, 8, 8), r"got \(2, 2, 8, 8\)"),
        (torch.zeros(2, 4, 8, 8), r"got \(2, 4, 8, 8\)"),
        (torch.zeros(1, 1, 1, 8, 8), r"got \(1, 1, 1, 8, 8\)"),
    ],
)
def test_show_images_bad_images(bad, got):
    with pytest.raises(ValueError, match=r"images must be a tensor \[B, C, H, W\] with C in "
                                         r"\(1, 3\), " + got):
        plot.show_images(bad)
    assert plt.get_fignums() == []  # nothing half-drawn left open


def test_show_images_wrong_number_of_titles():
    with pytest.raises(ValueError, match=r"^expected 3 titles, got 2$"):
        plot.show_images(images(3), titles=["a", "b"])
    assert plt.get_fignums() == []


def test_show_images_empty_batch_is_reported_clearly():
    with pytest.raises(ValueError, match=r"(?i)image.*got (0|\(0, 1, 8, 8\))"):
        plot.show_images(images(0))


# ---------------------------------------------------------------- plot_histories


def test_plot_histories_default_keys_one_panel_each_one_line_per_run():
    fig = plot.plot_histories({"scratch": history(), "fine-tune": history(offset=0.5)})
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    for ax, key in zip(fig.axes, ("train_loss", "val_acc"), strict=True):
        assert ax.get_ylabel() == key.replace("_", " ")
        assert ax.get_xlabel() == "epoch"
        assert [line.get_label() for line in ax.get_lines()] == ["scratch", "fine-tune"]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["scratch", "fine-tune"]
    line = fig.axes[0].get_lines()[1]
    assert list(line.get_xdata()) == [1, 2, 3]
    assert list(line.get_ydata()) == pytest.approx([1.5, 1.3, 1.1])


def test_plot_histories_step_loss_is_per_step():
    fig = plot.plot_histories({"run": history(epochs=3, steps=4)}, keys=("step_loss",))
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_xlabel() == "step"
    assert list(ax.get_lines()[0].get_xdata()) == list(range(1, 13))


def test_plot_histories_many_keys_and_title():
    keys = ("step_loss", "train_loss", "val_loss", "val_acc")
    fig = plot.plot_histories({"a": history()}, keys=keys, title="Digits")
    assert len(fig.axes) == 4
    assert fig.get_suptitle() == "Digits"
    assert [ax.get_ylabel() for ax in fig.axes] == ["step loss", "train loss", "val loss",
                                                    "val acc"]


def test_plot_histories_runs_of_different_lengths():
    fig = plot.plot_histories({"short": history(epochs=2), "long": history(epochs=5)})
    lengths = [len(line.get_xdata()) for line in fig.axes[0].get_lines()]
    assert lengths == [2, 5]


@pytest.mark.parametrize("empty", [{}, None])
def test_plot_histories_empty(empty):
    with pytest.raises(ValueError, match=r"histories is empty: pass \{run name: history from "
                                         r"utils\.train\.fit\}"):
        plot.plot_histories(empty)


def test_plot_histories_missing_key_names_run_key_and_what_it_has():
    without_val = {"step_loss": [1.0], "train_loss": [1.0]}
    with pytest.raises(ValueError, match=r"^run 'b' has no \['val_acc'\]; it has "
                                         r"\['step_loss', 'train_loss'\]$"):
        plot.plot_histories({"a": history(), "b": without_val})
    assert plt.get_fignums() == []


def test_plot_histories_no_keys_is_reported_clearly():
    with pytest.raises(ValueError, match=r"(?i)keys.*got \(\)"):
        plot.plot_histories({"a": history()}, keys=())


# ---------------------------------------------------------------- plot_norm_cubes


def norm_masks(n=2, c=3, length=4):
    batch = torch.zeros(n, c, length, dtype=torch.bool)
    batch[:, 0, :] = True
    layer = torch.zeros(n, c, length, dtype=torch.bool)
    layer[0] = True
    return {"Batch Norm": batch, "Layer Norm": layer}


def test_plot_norm_cubes_one_3d_panel_per_mask():
    fig = plot.plot_norm_cubes(norm_masks(), title="Normalization methods")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    assert [ax.name for ax in fig.axes] == ["3d", "3d"]
    assert [ax.get_title() for ax in fig.axes] == ["Batch Norm", "Layer Norm"]
    assert fig.get_suptitle() == "Normalization methods"
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel(), fig.axes[0].get_zlabel()) == (
        "C", "N", "H, W")


def test_plot_norm_cubes_single_mask_no_title():
    masks = {"Instance Norm": torch.zeros(1, 2, 3, dtype=torch.bool)}
    fig = plot.plot_norm_cubes(masks)
    assert len(fig.axes) == 1
    assert fig.get_suptitle() == ""


def test_plot_norm_cubes_does_not_modify_masks():
    masks = norm_masks()
    before = {name: mask.clone() for name, mask in masks.items()}
    plot.plot_norm_cubes(masks)
    assert all(torch.equal(masks[name], before[name]) for name in masks)


@pytest.mark.parametrize("empty", [{}, None])
def test_plot_norm_cubes_empty(empty):
    with pytest.raises(ValueError, match=r"masks is empty: pass \{name: bool tensor \[N, C, L\]\}"):
        plot.plot_norm_cubes(empty)


@pytest.mark.parametrize(
    "bad, got",
    [
        (torch.zeros(2, 3, 4), r"got torch\.float32 tensor of shape \(2, 3, 4\)"),
        (torch.zeros(2, 3, 4, dtype=torch.int64), r"got torch\.int64 tensor of shape \(2, 3, 4\)"),
        (torch.zeros(2, 3, dtype=torch.bool), r"got torch\.bool tensor of shape \(2, 3\)"),
        (torch.zeros(1, 2, 3, 4, dtype=torch.bool),
         r"got torch\.bool tensor of shape \(1, 2, 3, 4\)"),
        (np.zeros((2, 3, 4), dtype=bool), "got ndarray"),
        ([[[True]]], "got list"),
    ],
)
def test_plot_norm_cubes_bad_mask(bad, got):
    masks = {"Batch Norm": norm_masks()["Batch Norm"], "Group Norm": bad}
    with pytest.raises(ValueError, match=r"^mask 'Group Norm' must be a bool tensor \[N, C, L\], "
                                         + got + "$"):
        plot.plot_norm_cubes(masks)
    assert plt.get_fignums() == []


# ---------------------------------------------------------------- show_boxes


def test_show_boxes_pixel_edges_at_integer_coordinates():
    """Pixel column j covers [j, j + 1): the image spans [0, W] x [0, H], boxes are drawn at their edges."""
    image = torch.zeros(1, 4, 10)
    image[0, 0:2, 3:6] = 1.0  # columns 3, 4, 5 and rows 0, 1: the box (3, 0, 6, 2)
    ax = plot.show_boxes(image, torch.tensor([[3.0, 0.0, 6.0, 2.0]]))
    assert list(ax.images[0].get_extent()) == [0, 10, 4, 0]
    assert ax.get_xlim() == (0, 10) and ax.get_ylim() == (4, 0)
    (box,) = ax.patches
    assert box.get_xy() == (3.0, 0.0) and (box.get_width(), box.get_height()) == (3.0, 2.0)
    # the box's left edge is the left edge of the first white column, on screen too
    ax.figure.canvas.draw()
    left_of_image, right_of_image = ax.get_window_extent().x0, ax.get_window_extent().x1
    column_width = (right_of_image - left_of_image) / 10
    assert ax.transData.transform((3.0, 0.0))[0] == pytest.approx(left_of_image + 3 * column_width)


def test_show_boxes_labels_stay_inside_the_image_clear_of_the_title():
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    boxes = torch.tensor([[0.0, 0.0, 12.0, 20.0], [20.0, 0.0, 32.0, 8.0], [5.0, 22.0, 30.0, 32.0]])
    fig, ax = plt.subplots(figsize=(3, 3))
    plot.show_boxes(image, boxes, labels=["flag", "shuttle", 7], ax=ax, title="a title")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = list(ax.texts)
    assert [t.get_text() for t in texts] == ["flag", "shuttle", "7"]
    title = ax.title.get_window_extent(renderer)
    image_area = ax.get_window_extent(renderer)
    for text in texts:
        assert text.get_clip_on() and text.get_va() == "top"
        extent = text.get_window_extent(renderer)
        assert not extent.overlaps(title), f"label {text.get_text()!r} runs into the title"
        assert extent.y1 <= image_area.y1 + 1e-6, f"label {text.get_text()!r} sticks out above the image"


def test_show_boxes_grayscale_new_axes_and_no_labels():
    image = torch.rand(1, 6, 8) * 2 - 0.5
    before = image.clone()
    ax = plot.show_boxes(image, torch.zeros(0, 4))
    drawn = np.asarray(ax.images[0].get_array())
    assert drawn.shape == (6, 8) and drawn.min() >= 0 and drawn.max() <= 1
    assert len(ax.patches) == 0 and len(ax.texts) == 0 and ax.get_title() == ""
    assert torch.equal(image, before)


@pytest.mark.parametrize(
    "image, boxes, labels, message",
    [
        (torch.zeros(2, 4, 4), torch.zeros(1, 4), None, r"image must be.*got \(2, 4, 4\)"),
        (np.zeros((1, 4, 4)), torch.zeros(1, 4), None, r"image must be a tensor \[C, H, W\].*got ndarray"),
        (torch.zeros(1, 4, 4), torch.zeros(4), None, r"boxes must be a tensor \[N, 4\].*got \(4,\)"),
        (torch.zeros(1, 4, 4), torch.zeros(2, 4), ["a"], r"expected 2 labels \(one per box\), got 1"),
    ],
)
def test_show_boxes_bad_input(image, boxes, labels, message):
    with pytest.raises(ValueError, match=message):
        plot.show_boxes(image, boxes, labels=labels)
    assert plt.get_fignums() == []
