"""random_crop always pads with zeros, ignoring padding_mode="reflect"."""

TARGET = "random_crop"
BASE = "random_crop_sliced"
PATCH = [("F.pad(images, (padding,) * 4, mode=padding_mode) if padding else images", "F.pad(images, (padding,) * 4)")]
