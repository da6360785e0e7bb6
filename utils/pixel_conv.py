"""A convolution whose output is a single pixel is a linear layer: compute it as one.

A ResNet-18 fed 16x16 images sees 1x1 feature maps in layer3 and layer4: each of their
convolutions produces one output pixel per channel, a weighted sum of the few input pixels the
kernel covers. Computed as a matrix product (`F.linear`) it is the same function with the same
gradients, up to float rounding, and on a CPU much cheaper to train: PyTorch's convolution
computes the weight gradient of such tiny maps image by image on many CPUs.
"""

import torch.nn.functional as F
from torch import nn


class OnePixelConv2d(nn.Conv2d):
    """An `nn.Conv2d` that computes a 1x1 output as a linear layer; any larger output as usual.

    For input `x [N, C_in, H, W]` (or unbatched `[C_in, H, W]`) whose output is `[N, C_out, 1, 1]`
    (stride, padding and kernel size allow one position only), the kernel at that position covers
    input rows `0..rh-1` with kernel rows `p_h..p_h+rh-1` (rh = max(0, min(H, k_h - p_h)): the
    rest of the kernel lies on zero padding; with p_h >= k_h it sees padding only and the output is
    the bias), and alike for columns. Only convolutions with groups=1, dilation 1, zero padding
    given as numbers are made of this class (see `one_pixel_convs_as_linear`). The branch on the
    input's size is Python control flow: torch.fx and TorchScript cannot trace or script it, so
    convert a model after tracing it, or trace a model that was not converted.
    """

    def forward(self, x):
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        if x.dim() not in (3, 4) or x.shape[-3] != self.in_channels:
            return super().forward(x)  # nn.Conv2d's error message for a wrong input
        height, width = x.shape[-2:]
        if ((height + 2 * ph - kh) // sh, (width + 2 * pw - kw) // sw) != (0, 0):
            return super().forward(x)  # more than one output pixel
        rows, columns = max(0, min(height, kh - ph)), max(0, min(width, kw - pw))
        weight = self.weight[:, :, ph:ph + rows, pw:pw + columns]  # [C_out, C_in, rows, columns]
        pixels = x[..., :rows, :columns].flatten(-3)                # [N, C_in * rows * columns]
        return F.linear(pixels, weight.flatten(1), self.bias)[..., None, None]


def one_pixel_convs_as_linear(model):
    """Make every plain `nn.Conv2d` of `model` an `OnePixelConv2d`, in place; return `model`.

    Parameters, buffers, `state_dict()` keys and outputs stay the same (outputs and gradients up
    to float rounding); `copy.deepcopy` keeps the change. Convolutions with groups, dilation,
    string padding ("same") or a padding mode other than zeros, and subclasses of `nn.Conv2d`,
    are left as they are. Calling it twice changes nothing more.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"one_pixel_convs_as_linear expects an nn.Module, got {type(model).__name__}")
    for module in model.modules():
        if (type(module) is nn.Conv2d and module.groups == 1 and module.dilation == (1, 1)
                and isinstance(module.padding, tuple) and module.padding_mode == "zeros"):
            module.__class__ = OnePixelConv2d
    return model
