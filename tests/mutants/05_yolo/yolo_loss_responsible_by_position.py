"""yolo_loss makes predictor 0 responsible in every object cell (by position, not by IoU)."""


def yolo_loss(preds, targets, S=7, B=2, C=20, lambda_coord=5.0, lambda_noobj=0.5):
    N = preds.shape[0]
    boxes, class_probs = split_predictions(preds, B=B, C=C)
    has_object = targets[..., 4] > 0
    target_slots = torch.cat([targets[..., :2], targets[..., 2:4].sqrt()], dim=-1)
    with torch.no_grad():
        pred_xyxy = decode_boxes(boxes[..., :4], S=S)
        target_xyxy = decode_boxes(target_slots.unsqueeze(3), S=S)
        top_left = torch.maximum(pred_xyxy[..., :2], target_xyxy[..., :2])
        bottom_right = torch.minimum(pred_xyxy[..., 2:], target_xyxy[..., 2:])
        inter = (bottom_right - top_left).clamp(min=0).prod(dim=-1)
        area_pred = (pred_xyxy[..., 2:] - pred_xyxy[..., :2]).prod(dim=-1)
        area_target = (target_xyxy[..., 2:] - target_xyxy[..., :2]).prod(dim=-1)
        union = area_pred + area_target - inter
        ious = torch.where(has_object[..., None], inter / union.clamp(min=1e-12), torch.zeros_like(inter))
        first = torch.zeros_like(ious[..., 0], dtype=torch.long)
        responsible = F.one_hot(first, B).bool() & has_object[..., None]
    resp = responsible.to(preds.dtype)
    coord = ((boxes[..., :4] - target_slots.unsqueeze(3)) ** 2).sum(dim=-1)
    coord_loss = lambda_coord * (resp * coord).sum()
    conf = boxes[..., 4]
    object_loss = (resp * (conf - ious) ** 2).sum()
    noobj_loss = lambda_noobj * ((1 - resp) * conf ** 2).sum()
    class_loss = (has_object[..., None] * (class_probs - targets[..., 5:]) ** 2).sum()
    return (coord_loss + object_loss + noobj_loss + class_loss) / N
