"""Unit tests of utils/pixel_conv.py: the one-pixel convolutions compute what nn.Conv2d computes."""

import copy

import pytest
import torch
import torchvision
from torch import nn

from utils.pixel_conv import OnePixelConv2d, one_pixel_convs_as_linear

# float32 sums of up to 4,608 products in another order: differences of a few 1e-6 relative.
RTOL, ATOL = 1e-5, 1e-5


def twins(conv):
    """(conv, a deep copy made an OnePixelConv2d): the same parameters, two implementations."""
    return conv, one_pixel_convs_as_linear(copy.deepcopy(conv))


def outputs_and_gradients(module, x):
    """(output, gradient of the input, {parameter name: gradient}) for the loss sum(output * fixed noise)."""
    x = x.clone().requires_grad_(True)
    module.zero_grad()
    out = module(x)
    noise = torch.randn(out.shape, generator=torch.Generator().manual_seed(1))
    (out * noise).sum().backward()
    return out, x.grad, {name: p.grad for name, p in module.named_parameters()}


@pytest.mark.parametrize("make, size", [
    (lambda: nn.Conv2d(8, 6, 3, stride=1, padding=1), (1, 1)),            # layer4's 3x3 on a 1x1 map
    (lambda: nn.Conv2d(8, 6, 3, stride=2, padding=1, bias=False), (2, 2)),  # layer3's first conv
    (lambda: nn.Conv2d(8, 6, 1, stride=2, bias=False), (2, 2)),            # a downsample shortcut
    (lambda: nn.Conv2d(8, 6, 3, stride=3, padding=0), (3, 3)),             # the kernel covers the whole map
    (lambda: nn.Conv2d(8, 6, (3, 1), stride=(2, 1), padding=(1, 0)), (2, 1)),  # rectangular
    (lambda: nn.Conv2d(8, 6, 1, stride=3, padding=1), (1, 1)),             # the kernel sees padding only
    (lambda: nn.Conv2d(8, 6, 1, stride=6, padding=2), (2, 2)),             # ... also with padding > kernel
    (lambda: nn.Conv2d(8, 6, (2, 3), stride=(7, 4), padding=(3, 1)), (2, 3)),
])
def test_one_pixel_output_matches_the_convolution(make, size):
    torch.manual_seed(0)
    conv, linear = twins(make())
    x = torch.randn(5, 8, *size)
    expected, got = outputs_and_gradients(conv, x), outputs_and_gradients(linear, x)
    assert got[0].shape == expected[0].shape == (5, 6, 1, 1)
    torch.testing.assert_close(got[0], expected[0], rtol=RTOL, atol=ATOL, msg="output")
    torch.testing.assert_close(got[1], expected[1], rtol=RTOL, atol=ATOL, msg="input gradient")
    assert got[2].keys() == expected[2].keys()
    for name, gradient in expected[2].items():
        torch.testing.assert_close(got[2][name], gradient, rtol=RTOL, atol=ATOL, msg=f"{name} gradient")


def test_unbatched_input_matches_the_convolution():
    torch.manual_seed(0)
    conv, linear = twins(nn.Conv2d(4, 3, 3, padding=1))
    x = torch.randn(4, 1, 1)
    torch.testing.assert_close(linear(x), conv(x), rtol=RTOL, atol=ATOL)
    assert linear(x).shape == (3, 1, 1)


@pytest.mark.parametrize("size", [(2, 2), (4, 4), (1, 3)])
def test_larger_outputs_use_the_convolution_itself(size):
    torch.manual_seed(0)
    conv, linear = twins(nn.Conv2d(4, 3, 3, padding=1))
    x = torch.randn(2, 4, *size)
    assert torch.equal(linear(x), conv(x))  # the same kernel: bit for bit


@pytest.mark.parametrize("conv, shape", [
    (nn.Conv2d(4, 3, 3), (1, 4, 1, 1)),               # too small for the kernel
    (nn.Conv2d(4, 3, 3, padding=1), (1, 2, 1, 1)),    # 2 channels where the layer takes 4
    (nn.Conv2d(4, 3, 3, padding=1), (2, 1, 4, 1, 1)),  # 5-D
    (nn.Conv2d(4, 3, 3, padding=1), (4,)),              # 1-D
], ids=["too small", "channels", "5-D", "1-D"])
def test_wrong_input_raises_as_the_convolution_does(conv, shape):
    conv, linear = twins(conv)
    x = torch.randn(*shape)
    with pytest.raises(RuntimeError) as expected:
        conv(x)
    with pytest.raises(RuntimeError) as got:
        linear(x)
    assert str(got.value) == str(expected.value)


def test_resnet18_at_16x16_trains_the_same():
    """Notebook 04's case: layer3 and layer4 see 1x1 maps; logits and every gradient agree."""
    torch.manual_seed(0)
    model, linear = twins(torchvision.models.resnet18(num_classes=10))
    converted = [name for name, m in linear.named_modules() if type(m) is OnePixelConv2d]
    assert len(converted) == sum(type(m) is nn.Conv2d for m in model.modules()) == 20
    x = torch.randn(16, 3, 16, 16)
    expected, got = outputs_and_gradients(model, x), outputs_and_gradients(linear, x)
    torch.testing.assert_close(got[0], expected[0], rtol=RTOL, atol=ATOL, msg="logits")
    # BatchNorm divides by the spread of 16 values per channel in layer4, which magnifies the
    # rounding: relative differences of about 2e-6 here, 2e-4 with 4 images; 1e-4 of the norm.
    for name, gradient in expected[2].items():
        difference = (got[2][name] - gradient).norm() / gradient.norm()
        assert difference <= 1e-4, f"gradient of {name}: {difference:.2e} relative"


def test_parameters_state_dict_and_copies_are_unchanged():
    model = torchvision.models.resnet18(num_classes=10)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    parameters = list(model.parameters())
    assert one_pixel_convs_as_linear(model) is model
    assert list(model.parameters()) == parameters  # the same tensors, not copies
    assert list(model.state_dict()) == list(before)
    assert all(torch.equal(model.state_dict()[k], v) for k, v in before.items())
    assert type(copy.deepcopy(model).layer4[0].conv1) is OnePixelConv2d
    assert type(one_pixel_convs_as_linear(model).conv1) is OnePixelConv2d  # twice: no change


@pytest.mark.parametrize("conv", [
    nn.Conv2d(4, 4, 3, padding=1, groups=2),
    nn.Conv2d(4, 4, 3, padding=2, dilation=2),
    nn.Conv2d(4, 4, 3, padding="same"),
    nn.Conv2d(4, 4, 3, padding=1, padding_mode="reflect"),
    nn.ConvTranspose2d(4, 4, 3),
    nn.Conv1d(4, 4, 3),
], ids=["groups", "dilation", "same", "reflect", "transposed", "1d"])
def test_other_convolutions_are_left_alone(conv):
    kind = type(conv)
    assert type(one_pixel_convs_as_linear(nn.Sequential(conv))[0]) is kind


def test_a_non_module_is_refused_with_what_came():
    with pytest.raises(TypeError, match=r"expects an nn.Module, got OrderedDict"):
        one_pixel_convs_as_linear(torchvision.models.resnet18().state_dict())
