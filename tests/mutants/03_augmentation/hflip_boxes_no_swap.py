"""hflip_boxes mirrors each x coordinate in place without swapping them, so x1 > x2."""


def hflip_boxes(boxes, image_width):
    flipped = boxes.clone()
    flipped[:, 0] = image_width - boxes[:, 0]
    flipped[:, 2] = image_width - boxes[:, 2]
    return flipped
