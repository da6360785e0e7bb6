"""random_horizontal_flip flips the boxes with the image height as W (images.shape[-2] instead of [-1])."""

TARGET = "random_horizontal_flip"
PATCH = [("hflip_boxes(b, width)", "hflip_boxes(b, images.shape[-2])")]
