"""Mutants graded together: one submission carries the mutants of several independent exercises.

Grading one submission costs a sandboxed kernel and a crosscheck process, each importing torch, so
the mutants of an assignment are packed: two mutants share a submission only when they change
different exercises, their target cells differ, and neither can reach the other's exercise.

What a mutant reaches is read from the source notebook (hidden tests included) as a graph of its
statements in execution order (compound statements split into their parts, symtable for the names
each part binds and reads): from its exercise's test cells and its own definition, a name read when
a statement runs leads to the bindings that may be current at that point, and a name read inside a
function or lambda, which may be called at any time, to every binding of it. A binding is any
statement that may change what a name holds: an assignment, an import, a def; a store into
`n[k]` or `n.a`, a method call `n.m(...)`, a call given `n` (unless the callee is a builtin or an
imported function, PyTorch's `..._` in-place ones aside), all on names that imports do not bind; a
global that a nested scope assigns (`global y` in a function, a comprehension's walrus); a call of
a function whose body does any of these. The walk back from a read stops at the nearest binding
that surely ran before it: one of the same cell (a statement that raised would have stopped the
cell before the read) and, in a loop, of the same iteration; a binding in an earlier cell never
stops it (that cell may have stopped halfway), and reaching it reaches the statements before it
in its cell (whether they raised decides whether it ran). Reaching a statement also reaches the headers that
decide whether it runs (an if's or while's test, a for's iterable, the body of a try for its
handlers; a loop's whole body when it breaks or continues); a with body counts as possibly cut
short unless its context manager is known not to swallow exceptions (NOT_SWALLOWING). A mutant
also reaches the exercises whose test cells read a module name that its definition assigns as a
global or changes in place. Constructs the graph cannot follow (exec, eval, globals(), vars() and
locals() at module level, get_ipython() and every IPython magic but `%matplotlib`, IPython's
Out, In and `_`-style history) make PackPlanner raise ValueError naming the cell.

So a pack never joins two mutants one of which can run, or change by name, what the other's test
cells read, and each mutant's target cells lose points through its own mistake. Not detected:
state shared without a name. A mutant that draws from or reseeds a random generator, or changes a
module's attributes (torch's RNG, a library setting), or a library function that changes its
arguments in place can change what another member's target cells compute, and nothing here or in
the grading tests notices it: tests/test_grading.py only checks that the test cells outside the
pack (those no member reaches) score as the reference's do, so such a leak into the cells of
another member of the same pack goes unseen.
"""
import ast
import builtins
import re
import symtable
from typing import NamedTuple

from IPython.core.inputtransformer2 import TransformerManager

from tools.notebook_model import exercise_cells, grade_id, is_exercise

_transformer = TransformerManager()

# Names whose reading the graph cannot follow: code run from strings, the module namespace as a
# dict, the IPython shell and its output history.
UNTRACEABLE = frozenset({"exec", "eval", "globals", "get_ipython", "Out", "In"})
NAMESPACE_CALLS = frozenset({"vars", "locals"})      # without arguments at module level: globals()
HISTORY = re.compile(r"_{1,3}|_i{1,3}|_i?\d+|_oh|_ih|_dh")  # IPython's outputs and inputs
MATPLOTLIB = "get_ipython().run_line_magic('matplotlib', "
COMPREHENSIONS = frozenset({"genexpr", "listcomp", "setcomp", "dictcomp"})  # their symtable scopes
# Builtins that never change their arguments (not setattr, delattr, next, exec...)
BUILTINS = frozenset({"abs", "all", "any", "bool", "dict", "enumerate", "float", "format", "frozenset",
                      "getattr", "hasattr", "id", "int", "isinstance", "issubclass", "iter", "len", "list",
                      "max", "min", "print", "range", "repr", "reversed", "round", "set", "sorted", "str",
                      "sum", "tuple", "type", "zip"}) & set(dir(builtins))
# Context managers that never swallow an exception of their body (utils.shortcuts.forbid_builtins:
# try/finally around its yield); any other may (contextlib.suppress), so its body may stop halfway.
NOT_SWALLOWING = frozenset({"forbid_builtins", "torch.no_grad", "torch.inference_mode", "torch.enable_grad",
                            "torch.set_grad_enabled", "warnings.catch_warnings"})


def python_of(source):
    """A cell's source as plain Python (IPython magics such as `%matplotlib inline` translated)."""
    return _transformer.transform_cell(source)


def parse(source):
    """[statement node] of a cell's source ([] when it is not Python)."""
    try:
        return ast.parse(python_of(source)).body
    except SyntaxError:
        return []


def imported(bodies):
    """Names that import statements of `bodies` ([[statement node]]) bind: modules and what they hold."""
    return {(a.asname or a.name).split(".")[0] for body in bodies for node in body for sub in ast.walk(node)
            if isinstance(sub, (ast.Import, ast.ImportFrom)) for a in sub.names}


class Statement(NamedTuple):
    """One simple statement of a notebook (compound ones are split up), in execution order."""

    index: int
    cell: int             # the code cell it is in (a count)
    bound: frozenset      # names it may bind or change in the module scope
    defined: frozenset    # names it binds itself (assignment, def, import), not by mutation
    used: frozenset       # module names it reads when it runs
    deferred: frozenset   # module names that its nested scopes (functions, lambdas) read when called
    always: frozenset     # names it binds whenever it runs (not in a branch, loop, try or with body)
    loop_end: int         # inside a loop: the index of the loop's last statement (else its own)
    guards: frozenset     # the statements that decide whether it runs: enclosing headers, a try's body
    scope: tuple = ()     # its innermost loop's (header, last statement of the body); () for the cell


class Piece(NamedTuple):
    node: ast.AST
    always: bool          # it runs whenever its scope (the cell, or one iteration of its loop) runs
    looped: bool
    guards: frozenset     # positions (in the cell's pieces) of the statements that decide whether it runs
    scope: int | None = None  # the position of its innermost loop's header (None: the cell)
    end: int | None = None    # a loop's header: the position of the last statement of its body


def breaks(nodes):
    """True when `nodes` (a loop's body) hold a break or continue of that loop."""
    for node in nodes:
        if isinstance(node, (ast.Break, ast.Continue)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor,
                             ast.While)):
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and breaks(node.orelse):
                return True
            continue
        if any(breaks([child]) for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)):
            return True
        if isinstance(node, ast.Try) and any(breaks(h.body) for h in node.handlers):
            return True
        if isinstance(node, ast.Match) and any(breaks(c.body) for c in node.cases):
            return True
    return False


def pieces(nodes, always=True, looped=False, guards=frozenset(), found=None, scope=None):
    """[Piece] of `nodes`: a compound statement becomes its header (an if's test, a for's
    `target = iter`, a with's `vars = expr`, an except's `name = type`) and its bodies, whose
    bindings may not happen and which depend on the header (a try's handlers, else and finally on
    its body; a loop's statements on its whole body when it breaks or continues). `always`: the
    statements run whenever their scope does (the cell, or an iteration of the loop `scope`)."""
    found = [] if found is None else found

    def add(node, sure, in_loop, pieces_guards, own_scope=scope):
        found.append(Piece(node, sure, in_loop, frozenset(pieces_guards), own_scope))

    for node in nodes:
        if isinstance(node, (ast.If, ast.While, ast.For, ast.AsyncFor)):
            loop = not isinstance(node, ast.If)
            header = len(found)
            if isinstance(node, ast.If):
                add(ast.Expr(node.test), always, looped, guards)
            elif isinstance(node, ast.While):
                add(ast.Expr(node.test), always, True, guards)
            else:  # its target is bound at the start of every iteration
                add(ast.Assign([node.target], node.iter), True, True, guards, header)
            inner = guards | {header}
            if loop:
                pieces(node.body, True, True, inner, found, header)
                found[header] = found[header]._replace(end=len(found) - 1)
            else:
                pieces(node.body, False, looped, inner, found, scope)
            if loop and breaks(node.body):  # whether a statement runs depends on every earlier one
                every = frozenset(range(header, len(found)))
                found[header + 1:] = [p._replace(guards=p.guards | every) for p in found[header + 1:]]
                inner |= every
            pieces(node.orelse, False, looped or loop, inner, found, scope)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            start = len(found)
            for item in node.items:
                add(ast.Assign([item.optional_vars], item.context_expr) if item.optional_vars
                    else ast.Expr(item.context_expr), always, looped, guards)
            # unless known not to, the context manager may swallow an exception: the rest of the body
            # may not run
            calls = [item.context_expr.func if isinstance(item.context_expr, ast.Call) else item.context_expr
                     for item in node.items]
            safe = all(ast.unparse(call) in NOT_SWALLOWING for call in calls)
            pieces(node.body, always and safe, looped, guards | set(range(start, len(found))), found, scope)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            start = len(found)
            pieces(node.body, False, looped, guards, found, scope)
            body = guards | set(range(start, len(found)))
            for handler in node.handlers:
                if handler.type or handler.name:
                    value = handler.type or ast.Constant(None)
                    add(ast.Assign([ast.Name(handler.name, ast.Store())], value) if handler.name
                        else ast.Expr(value), False, looped, body)
                pieces(handler.body, False, looped, body, found, scope)
            pieces(node.orelse + node.finalbody, False, looped, body, found, scope)
        else:
            add(node, always and not isinstance(node, ast.Match), looped, guards)
    return found


def nested_globals(table, assigned=False):
    """Module-scope names that nested scopes (functions, classes, lambdas, comprehensions) read, or
    with `assigned` assign (`global y; y = ...`, a comprehension's walrus)."""
    found = {s.get_name() for s in table.get_symbols()
             if s.is_global() and (s.is_assigned() if assigned else s.is_referenced())}
    for child in table.get_children():
        found |= nested_globals(child, assigned)
    return found


def scope_reads(table):
    """(module names that nested scope `table` reads as its statement runs, those it reads when
    called later): a comprehension or class body runs at once, a function or lambda later."""
    if table.get_type() == "function" and table.get_name() not in COMPREHENSIONS:
        return set(), nested_globals(table)
    now = {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
    later = set()
    for child in table.get_children():
        child_now, child_later = scope_reads(child)
        now |= child_now
        later |= child_later
    return now, later


def root_name(node):
    """The name at the root of `a.b[c].d`, else None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def runtime_nodes(node):
    """The nodes of `node` that run with it: not the bodies of the functions and lambdas it defines."""
    stack = [node]
    while stack:
        sub = stack.pop()
        yield sub
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack += [*sub.decorator_list, sub.args, *([sub.returns] if sub.returns else [])]
        elif isinstance(sub, ast.Lambda):
            stack.append(sub.args)
        else:
            stack += list(ast.iter_child_nodes(sub))


def mutated(nodes, modules=frozenset()):
    """Names whose objects `nodes` may change in place without assigning them: stored into
    (`n[k] = v`, `n.a = v`, del), a method called (`n.m(...)`), passed to a call (`h(n)`) unless
    the callee is a builtin or comes from an import (`modules`: library and course helpers such as
    torch.cat or check_close are taken not to change their arguments, but for PyTorch's in-place
    functions, whose names end with `_`)."""
    found = set()
    for sub in nodes:
        if isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            found.add(root_name(sub))
        elif isinstance(sub, ast.Call):
            if isinstance(sub.func, ast.Attribute):
                found.add(root_name(sub.func))
            callee = root_name(sub.func)
            in_place = isinstance(sub.func, ast.Attribute) and sub.func.attr.endswith("_") \
                and not sub.func.attr.startswith("__")
            if in_place or not (callee in modules or (callee in BUILTINS and isinstance(sub.func, ast.Name))):
                found |= {root_name(arg) for arg in [*sub.args, *(k.value for k in sub.keywords)]}
    return found - {None}


def untraceable(node, bound_before):
    """The first construct of `node` (a cell's statement) that the graph cannot follow, else None."""
    if ast.unparse(node).startswith(MATPLOTLIB):
        return None
    functions = {id(n) for sub in ast.walk(node) if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                      ast.Lambda))
                 for n in ast.walk(sub) if n is not sub}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            if sub.id in UNTRACEABLE or (HISTORY.fullmatch(sub.id) and sub.id not in bound_before):
                return "IPython magic" if sub.id == "get_ipython" else sub.id
        if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in NAMESPACE_CALLS
                and not sub.args and id(sub) not in functions):
            return f"{sub.func.id}()"
    return None


def statements(notebook):
    """([Statement] of every code cell of `notebook`, in order, {grade id: their indices}, the names
    its imports bind).

    Raises ValueError on a construct it cannot follow (exec, eval, globals(), module-level vars()
    or locals(), get_ipython() and IPython magics but `%matplotlib`, IPython's Out, In, _ ...)."""
    found, by_cell, bound_before, nested_writes = [], {}, set(), []
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    parsed = [parse(cell.source) for cell in cells]
    modules = imported(parsed)
    for number, (cell, body) in enumerate(zip(cells, parsed, strict=True)):
        for node in body:
            bound_before |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
                             and isinstance(n.ctx, ast.Store)} | {n.arg for n in ast.walk(node)
                                                                  if isinstance(n, ast.arg)}
            construct = untraceable(node, bound_before)
            if construct:
                raise ValueError(f"cell {grade_id(cell) or f'number {number} (code cells)'}: {construct} "
                                 "cannot be analysed (tests/mutant_packs.py)")
        loop_start, base = None, len(found)
        cell_pieces = pieces(body)
        for node, always, looped, guards, scope, _ in cell_pieces:
            module = ast.fix_missing_locations(ast.Module([node], []))
            table = symtable.symtable(ast.unparse(module), "<cell>", "exec")
            symbols = table.get_symbols()
            deferred, maybe, now = set(), set(), set()
            for child in table.get_children():
                run_now, later = scope_reads(child)
                now |= run_now
                deferred |= later
                maybe |= nested_globals(child, assigned=True)
            index = len(found)
            if looped and loop_start is None:
                loop_start = index
            elif not looped and loop_start is not None:  # a loop ended: its statements see its end
                found[loop_start:] = [s._replace(loop_end=index - 1) for s in found[loop_start:]]
                loop_start = None
            defined = {s.get_name() for s in symbols
                       if s.is_assigned() or s.is_imported() or s.is_namespace()}
            # what its nested scopes write when called: globals they assign or change in place
            writes = (maybe | (mutated(ast.walk(node), modules) & deferred)) - modules
            maybe = (writes | mutated(runtime_nodes(node), modules)) - modules
            used = {s.get_name() for s in symbols if s.is_referenced()} | now
            found.append(Statement(index, number, frozenset(defined | maybe), frozenset(defined),
                                   frozenset(used), frozenset(deferred),
                                   frozenset(defined) if always else frozenset(), loop_end=index,
                                   guards=frozenset(base + g for g in guards),
                                   scope=() if scope is None
                                   else (base + scope, base + cell_pieces[scope].end)))
            nested_writes.append(writes)
            by_cell.setdefault(grade_id(cell), []).append(index)
        if loop_start is not None:
            found[loop_start:] = [s._replace(loop_end=len(found) - 1) for s in found[loop_start:]]
    return calls_write(found, nested_writes), by_cell, modules


def calls_write(found, nested_writes):
    """`found` where a statement that reads a function whose body writes module names (found by
    name: `nested_writes` per statement) may bind those names, as may a function calling it."""
    writes = {}
    while True:
        for s, names in zip(found, nested_writes, strict=True):
            for name in s.defined:
                if names:
                    writes.setdefault(name, set()).update(names)
        grown = [names | {w for name in s.deferred for w in writes.get(name, ())}
                 for s, names in zip(found, nested_writes, strict=True)]
        if grown == nested_writes:
            break
        nested_writes = grown
    return [s._replace(bound=s.bound | {w for name in s.used | s.deferred for w in writes.get(name, ())})
            for s in found]


def binders_before(statements, binders, name, index):
    """Indices of the statements whose binding of `name` statement `index` may read (`binders`:
    {name: indices of the statements that bind it}): back to the nearest one that always binds it
    whenever `index` runs (one of its own cell, and of its own loop's iteration when in a loop; a
    statement of an earlier cell may have raised before binding it: each earlier cell's), and in a
    loop every later one up to the loop's end (an earlier iteration's)."""
    end = statements[index].loop_end
    found = [i for i in binders.get(name, ()) if index <= i <= end] if end > index else []
    for i in reversed([i for i in binders.get(name, ()) if i < index]):
        found.append(i)
        binder = statements[i]
        if (name in binder.always and binder.cell == statements[index].cell
                and (not binder.scope or binder.scope[0] < index <= binder.scope[1])):
            break
    return found


def edges(statements):
    """[indices of the statements each statement may read or run]: for a name it reads when it
    runs, the bindings that may be current then; for a name a nested scope reads when called, any;
    the statements that decide whether it runs (its guards); for a binding in another cell, the
    statements before it in its cell (one that raised skipped it)."""
    binders, first = {}, {}
    for statement in statements:
        first.setdefault(statement.cell, statement.index)
        for name in statement.bound:
            binders.setdefault(name, []).append(statement.index)

    def with_cell(s, indices):
        return {j for i in indices
                for j in ([i] if statements[i].cell == s.cell else range(first[statements[i].cell], i + 1))}

    def current(s):
        return ({i for name in s.used for i in binders_before(statements, binders, name, s.index)}
                | {i for name in s.deferred for i in binders.get(name, ())})

    return [sorted(with_cell(s, current(s)) | s.guards) for s in statements]


def reach(graph, start):
    """Indices of every statement reachable from the indices `start` in `graph` (see edges)."""
    seen, stack = set(), list(start)
    while stack:
        index = stack.pop()
        if index not in seen:
            seen.add(index)
            stack.extend(graph[index])
    return seen


def definition_names(definition):
    """Module names that a definition (the source of one function or class) may read when called."""
    table = symtable.symtable(definition, "<definition>", "exec")
    names = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    for child in table.get_children():
        names |= nested_globals(child)
    return names


def definition_writes(definition, modules=frozenset()):
    """Module names that a definition (the source of one function or class) may write when called:
    the globals it assigns and those it changes in place (a store into, a method call on, or a call
    with one of them; `modules`, the names imports bind, aside)."""
    table = symtable.symtable(definition, "<definition>", "exec")
    changed = mutated(ast.walk(ast.parse(definition)), modules)
    names = set()
    for child in table.get_children():
        names |= nested_globals(child, assigned=True) | (changed & nested_globals(child))
    return names - set(modules)


class PackPlanner:
    """Packs the mutants of one assignment, given its source notebook (hidden tests included)."""

    def __init__(self, source):
        self.statements, by_cell, self.modules = statements(source)
        self.graph = edges(self.statements)
        self.targets = exercise_cells(source)
        answers = {i for cell in source.cells if is_exercise(cell) for i in by_cell.get(grade_id(cell), ())}
        # {exercise: the statement of its answer cell that defines it}
        self.defines = {name: s.index for s in self.statements if s.index in answers
                        for name in s.defined & set(self.targets)}
        # {exercise: the exercises its test cells may run}
        tests = {name: reach(self.graph, [i for cell in cells for i in by_cell.get(cell, ())])
                 for name, cells in self.targets.items()}
        self.reached_by = {name: self.exercises_reached(indices) for name, indices in tests.items()}
        # {exercise: the module names that its test cells (and what they reach) read}
        self.reads = {name: set().union(*(self.statements[i].used | self.statements[i].deferred
                                           for i in indices))
                      for name, indices in tests.items()}

    def exercises_reached(self, indices):
        """The exercises whose defining statements are among `indices`."""
        return {name for name, index in self.defines.items() if index in indices}

    def reached(self, name, definition):
        """Exercises that a mutant of `name` written as `definition` may run: through its exercise's
        test cells or its own code; and those whose test cells read a module name it writes (assigns
        as a global or changes in place); its own exercise excluded."""
        names = definition_names(definition)
        binders = [s.index for s in self.statements if s.bound & names]
        writes = definition_writes(definition, self.modules)
        read = {other for other, reads in self.reads.items() if reads & writes}
        return (self.reached_by[name] | self.exercises_reached(reach(self.graph, binders)) | read) - {name}

    def pack(self, mutants):
        """[[(key, exercise name), ...] per submission] for `mutants` [(key, exercise name,
        definition source)], in order: each joins the first pack it is independent of and that
        still leaves a test cell reaching none of its members, else opens a new one. (That cell
        keeps its points, so the crosscheck runs on the submission: tools.crosscheck.review skips
        a submission without points, and every mutant's probes must be seen to disagree.)"""
        packs, reached = [], {}
        for key, name, definition in mutants:
            reached[key] = self.reached(name, definition)
            for members in packs:
                if (all(self.independent(name, reached[key], other, reached[other_key])
                        for other_key, other in members)
                        and self.untouched_cells([name, *(other for _, other in members)])):
                    members.append((key, name))
                    break
            else:
                packs.append([(key, name)])
        return packs

    def independent(self, name, reached, other, other_reached):
        """Two mutants may share a submission: other exercises, disjoint target cells, and neither
        reaches the other's exercise."""
        return (name != other and not set(self.targets[name]) & set(self.targets[other])
                and other not in reached and name not in other_reached)

    def untouched_cells(self, names):
        """Test cells whose exercise reaches none of the exercises `names` (a pack's) and is none of
        them: they must keep the reference's points."""
        untouched = [e for e in self.targets if e not in names and not self.reached_by[e] & set(names)]
        return sorted({cell for e in untouched for cell in self.targets[e]})
