"""An IPython input transformer blanking later cells. A cell registers a function in
get_ipython().input_transformers_post that replaces every later cell mentioning `check_` (every
test cell, visible and hidden part) by `pass`, so the test cells run nothing and "pass"; the
answers are left unanswered (they raise NotImplementedError)."""

from tests.adversarial.kernel_tricks import insert_after_imports

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = set()

TRANSFORMER = '''
def _blank_tests(lines):
    return ["pass\\n"] if any("check_" in line for line in lines) else lines

get_ipython().input_transformers_post.append(_blank_tests)
'''


def build(release, source):
    return insert_after_imports(release, TRANSFORMER)
