"""encode_targets checks nothing: bad shapes, centres, sizes and labels pass or crash oddly."""

TARGET = "encode_targets"
BASE = "encode_targets_stacked"
PATCH = [('    if not isinstance(boxes, torch.Tensor) or boxes.dim() != 2 or boxes.shape[1] != 4:\n'
          '        raise ValueError("boxes must be a tensor [K, 4]")\n'
          '    if not isinstance(labels, torch.Tensor) or labels.shape != (boxes.shape[0],):\n'
          '        raise ValueError("labels must be a tensor [K]")\n'
          '    if ((boxes[:, :2] < 0) | (boxes[:, :2] > 1)).any() or ((boxes[:, 2:] <= 0) | (boxes[:, 2:] > 1)).any():\n'
          '        raise ValueError("box out of range")\n'
          '    if ((labels < 0) | (labels >= C)).any():\n'
          '        raise ValueError("label out of range")\n', "")]
