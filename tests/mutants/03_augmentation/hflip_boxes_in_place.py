"""hflip_boxes writes the flipped coordinates into the input tensor and returns it."""


def hflip_boxes(boxes, image_width):
    if boxes.dim() != 2 or boxes.shape[1] != 4:
        raise ValueError(f"boxes must be [N, 4], got {tuple(boxes.shape)}")
    x1 = boxes[:, 0].clone()
    boxes[:, 0] = image_width - boxes[:, 2]
    boxes[:, 2] = image_width - x1
    return boxes
