"""utils.checks functions replaced by no-ops. Every check_* function of utils.checks (what the
visible and hidden tests import) is replaced by a function that accepts anything, before any test
cell imports them; the answers return zeros of the right shape, except the first exercise, which
is solved honestly (its points must stay)."""

from tests.adversarial.harness import solve
from tests.adversarial.kernel_tricks import fake_answers, insert_after_imports

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded

PATCH = '''
import utils.checks

for _name in dir(utils.checks):
    if _name.startswith("check_") or _name == "_fail":
        setattr(utils.checks, _name, lambda *args, **kwargs: None)
'''


def build(release, source):
    fake_answers(release, keep={"layernorm1d"})
    solve(release, source, {"layernorm1d"})
    return insert_after_imports(release, PATCH)
