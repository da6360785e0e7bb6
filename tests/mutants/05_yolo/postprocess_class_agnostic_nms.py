"""postprocess runs one NMS over all classes: a box suppresses boxes of other classes."""


def postprocess(preds, S=7, B=2, C=20, score_threshold=0.2, iou_threshold=0.5):
    boxes, class_probs = split_predictions(preds, B=B, C=C)
    xyxy = decode_boxes(boxes[..., :4], S=S)
    best_prob, best_label = class_probs.max(dim=-1)
    scores = boxes[..., 4] * best_prob[..., None]
    labels = best_label[..., None].expand(-1, -1, -1, B)
    results = []
    for n in range(preds.shape[0]):
        image_boxes, image_scores = xyxy[n].reshape(-1, 4), scores[n].reshape(-1)
        image_labels = labels[n].reshape(-1)
        keep = image_scores >= score_threshold
        image_boxes, image_scores, image_labels = image_boxes[keep], image_scores[keep], image_labels[keep]
        kept = nms(image_boxes, image_scores, iou_threshold)
        kept = kept[torch.argsort(image_scores[kept], descending=True)]
        results.append({"boxes": image_boxes[kept], "scores": image_scores[kept],
                        "labels": image_labels[kept]})
    return results
