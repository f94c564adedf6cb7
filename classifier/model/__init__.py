"""The model classifier: frozen e5 embeddings, trained heads and the exact detectors.

Modules: ``dataset`` (labelled data, fixed split), ``features`` (model text, embedding cache),
``heads`` (per-flag logistic regressions), ``artifacts`` (the committed files), ``train``
(``watchdesk train``) and ``classifier`` (``ModelClassifier``). Importing this package loads
no model.
"""

from classifier.model.artifacts import ArtifactError, default_artifacts_dir
from classifier.model.classifier import ModelClassifier

__all__ = ["ArtifactError", "ModelClassifier", "default_artifacts_dir"]
