"""postprocess runs one NMS over all classes: a box suppresses boxes of other classes."""

TARGET = "postprocess"
PATCH = [("kept = [torch.zeros(0, dtype=torch.int64, device=preds.device)]\n        for label in image_labels.unique().tolist():\n            members = (image_labels == label).nonzero()[:, 0]\n            kept.append(members[nms(image_boxes[members], image_scores[members], iou_threshold)])\n        kept = torch.cat(kept)", "kept = nms(image_boxes, image_scores, iou_threshold)")]
