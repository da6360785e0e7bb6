"""Hidden tests into feedback. An answer cell registers IPython `post_run_cell` and
`pre_run_cell` hooks printing each cell's source (the hidden tests included) into the cell's own
output; layernorm1d raises an error whose message is its caller's source (the hidden test), and
a last cell prints the whole input history `In`. The feedback keeps no stream output and no
message quoting a hidden test (tests/adversarial/test_adversarial.py generates it)."""

from tests.adversarial.harness import index_of, insert_code

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = set()

HOOKS = r'''
def _show(info_or_result):
    info = getattr(info_or_result, "info", info_or_result)
    print("SOURCE SEEN:", info.raw_cell)

get_ipython().events.register("pre_run_cell", _show)
get_ipython().events.register("post_run_cell", _show)
'''
LEAKY_ANSWER = r'''
import linecache, sys

def layernorm1d(x, gamma, beta, eps=1e-5):
    caller = sys._getframe(1).f_code.co_filename
    raise ValueError("".join(linecache.getlines(caller)))
'''


def build(release, source):
    release.cells[index_of(release, "layernorm1d")].source = LEAKY_ANSWER
    insert_code(release, 2, HOOKS)
    release.cells.append(__import__("nbformat").v4.new_code_cell("print(In)"))
    return release
