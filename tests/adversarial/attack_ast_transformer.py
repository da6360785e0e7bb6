"""An IPython AST transformer rewriting the tests away. A cell registers an ast.NodeTransformer
in get_ipython().ast_transformers that drops every assert and every call to a check_* helper and
wraps what is left of each cell in `try: ... except BaseException: pass`, so no test cell can fail;
the answers return zeros of the right shape."""

from tests.adversarial.kernel_tricks import fake_answers, insert_after_imports

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = set()

TRANSFORMER = '''
import ast

class _NoTests(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()

    def visit_Expr(self, node):
        call = node.value
        name = getattr(getattr(call, "func", None), "id", "")
        if isinstance(call, ast.Call) and name.startswith("check_"):
            return ast.Pass()
        return node

    def visit_Module(self, node):
        self.generic_visit(node)
        guard = ast.Try(body=node.body or [ast.Pass()],
                        handlers=[ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None,
                                                    body=[ast.Pass()])],
                        orelse=[], finalbody=[])
        node.body = [guard]
        return ast.fix_missing_locations(node)

get_ipython().ast_transformers.append(_NoTests())
'''


def build(release, source):
    fake_answers(release)
    return insert_after_imports(release, TRANSFORMER)
