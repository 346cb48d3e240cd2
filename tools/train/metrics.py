"""Held-out metrics: confusion matrix, per-class sensitivity/specificity, balanced accuracy."""

import numpy as np

from data import CODES


def classification_metrics(labels, predictions):
    k = len(CODES)
    confusion = np.zeros((k, k), dtype=np.int64)
    for truth, predicted in zip(labels, predictions):
        confusion[truth, predicted] += 1
    total = int(confusion.sum())
    per_class = {}
    sensitivities = []
    for i, code in enumerate(CODES):
        positives = int(confusion[i].sum())
        true_positive = int(confusion[i, i])
        negatives = total - positives
        false_positive = int(confusion[:, i].sum()) - true_positive
        sensitivity = true_positive / positives if positives else None
        specificity = (negatives - false_positive) / negatives if negatives else None
        if sensitivity is not None:
            sensitivities.append(sensitivity)
        per_class[code] = {"support": positives, "sensitivity": sensitivity, "specificity": specificity}
    return {
        "n_test_images": total,
        "accuracy": float(np.trace(confusion)) / total if total else None,
        # Mean recall over the classes present in the held-out set.
        "balanced_accuracy": float(np.mean(sensitivities)) if sensitivities else None,
        "per_class": per_class,
        "confusion_matrix": {"labels": CODES, "rows": "true", "columns": "predicted",
                             "counts": confusion.tolist()},
    }
