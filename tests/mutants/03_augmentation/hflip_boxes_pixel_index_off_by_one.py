"""hflip_boxes uses the pixel-index rule W - 1 - x on edge coordinates (off by one)."""


def hflip_boxes(boxes, image_width):
    x1, y1, x2, y2 = boxes.unbind(dim=1)
    return torch.stack([image_width - 1 - x2, y1, image_width - 1 - x1, y2], dim=1)
