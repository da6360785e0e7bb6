"""Helpers of the in-kernel attacks (attack_eq_always_true, attack_lying_tensor_subclass,
attack_patch_torch, attack_patch_checks, attack_input_transformer, attack_ast_transformer).

`fake_answers` fills 01_norm_layers' answer cells with definitions that have the right
signatures and return results of the right shape and dtype but wrong values (what a cheater
hands in together with a trick that makes the tests pass).
"""

from tests.adversarial.harness import index_of, insert_code
from tools.notebook_model import grade_id, is_exercise

# exercise name -> a wrong definition; `RESULT` is replaced by what the answer returns.
FAKES = {
    "layernorm1d": "def layernorm1d(x, gamma, beta, eps=1e-5):\n    return RESULT\n",
    "batchnorm1d_train": ("def batchnorm1d_train(x, gamma, beta, running_mean, running_var, momentum=0.1, "
                          "eps=1e-5):\n    return RESULT\n"),
    "batchnorm1d_eval": ("def batchnorm1d_eval(x, gamma, beta, running_mean, running_var, eps=1e-5):\n"
                         "    return RESULT\n"),
    "layernorm2d": "def layernorm2d(x, gamma, beta, eps=1e-5):\n    return RESULT\n",
    "batchnorm2d_train": ("def batchnorm2d_train(x, gamma, beta, running_mean, running_var, momentum=0.1, "
                          "eps=1e-5):\n    return RESULT\n"),
    "batchnorm2d_eval": ("def batchnorm2d_eval(x, gamma, beta, running_mean, running_var, eps=1e-5):\n"
                         "    return RESULT\n"),
    "groupnorm": "def groupnorm(x, num_groups, gamma, beta, eps=1e-5):\n    return RESULT\n",
    "BatchNorm2d": '''class BatchNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x):
        return RESULT
''',
}
ZEROS = "x * 0.0"  # right shape and dtype, wrong values; the module's: x * 0.0 too


def fake_answers(release, result=ZEROS, keep=()):
    """Replace every answer cell of the release (except grade ids in `keep`) by the FAKES."""
    for cell in release.cells:
        if is_exercise(cell) and grade_id(cell) not in keep:
            names = [n for n in FAKES if f"def {n}(" in cell.source or f"class {n}(" in cell.source]
            cell.source = "\n".join(FAKES[n].replace("RESULT", result) for n in names)
    return release


def insert_after_imports(notebook, source):
    """Insert a plain code cell right before the first answer cell."""
    return insert_code(notebook, index_of(notebook, "layernorm1d"), source)
