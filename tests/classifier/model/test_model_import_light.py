import subprocess
import sys


def test_importing_model_and_evaluation_loads_nothing_heavy() -> None:
    code = (
        "import sys, classifier.model, classifier.evaluation; "
        "print(sorted(m for m in ('torch', 'onnxruntime', 'sklearn', 'matplotlib', "
        "'transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
