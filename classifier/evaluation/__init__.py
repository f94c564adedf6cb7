"""Side-by-side evaluation of the model and its peers (``watchdesk eval``).

Modules: ``metrics`` (precision, recall, F1, per language), ``peers`` (TF-IDF + logistic
regression, e5 zero-shot), ``report`` (Markdown and PNG) and ``run`` (``evaluate``).
"""

from classifier.evaluation.report import EvalReport
from classifier.evaluation.run import evaluate

__all__ = ["EvalReport", "evaluate"]
