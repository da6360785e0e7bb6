"""Mutants graded together: one submission carries the mutants of several independent exercises.

Grading one submission costs a sandboxed kernel and a crosscheck process, each importing torch, so
the mutants of an assignment are packed: two mutants share a submission only when they change
different exercises, their target cells differ, and neither can reach the other's exercise.

What a mutant reaches is read from the source notebook (hidden tests included) as a graph of its
statements in execution order (compound statements split into their parts, symtable for the names
each part binds and reads): from its exercise's test cells and its own definition, a name read when
a statement runs leads to the bindings that may be current at that point (back to the nearest one
that always happens; in a loop also the later ones of the loop), and a name read inside a function
or lambda, which may be called at any time, to every binding of it. Whatever cannot be told apart
(a branch, a try, a loop) counts as a dependency, so a pack never joins two mutants one of which
can run the other's exercise by name, and each mutant's target cells lose points through its own
mistake. State shared without a name (random generators, a module's attributes) is not traced: the
cells that no member of a pack reaches must score as the reference's do (tests/test_grading.py),
which shows such a leak if it happens.
"""
import ast
import symtable
from typing import NamedTuple

from IPython.core.inputtransformer2 import TransformerManager

from tools.notebook_model import exercise_cells, grade_id, is_exercise

_transformer = TransformerManager()


def python_of(source):
    """A cell's source as plain Python (IPython magics such as `%matplotlib inline` translated)."""
    return _transformer.transform_cell(source)


class Statement(NamedTuple):
    """One simple statement of a notebook (compound ones are split up), in execution order."""

    index: int
    bound: frozenset      # names it binds in the module scope
    used: frozenset       # module names it reads when it runs
    deferred: frozenset   # module names that its nested scopes (functions, lambdas) read when called
    always: bool          # its bindings happen whenever the cell runs (not in a branch, loop or try)
    loop_end: int         # inside a loop: the index of the loop's last statement (else its own)


def pieces(nodes, always):
    """[(simple statement, always, in a loop)] of `nodes`: a compound statement becomes its header
    (an if's test, a for's `target = iter`, a with's `vars = expr`, an except's name) and its
    bodies, whose bindings may not happen."""
    found = []
    for node in nodes:
        if isinstance(node, (ast.If, ast.While)):
            found.append((ast.Expr(node.test), always, isinstance(node, ast.While)))
            inner = pieces(node.body + node.orelse, False)
            found += [(n, a, looped or isinstance(node, ast.While)) for n, a, looped in inner]
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            found.append((ast.Assign([node.target], node.iter), False, True))
            found += [(n, a, True) for n, a, _ in pieces(node.body + node.orelse, False)]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            found += [(ast.Assign([item.optional_vars], item.context_expr) if item.optional_vars
                       else ast.Expr(item.context_expr), always, False) for item in node.items]
            found += pieces(node.body, always)
        elif isinstance(node, ast.Try):
            handlers = [ast.Assign([ast.Name(h.name, ast.Store())], h.type or ast.Constant(None))
                        for h in node.handlers if h.name]
            found += pieces(node.body, False) + [(h, False, False) for h in handlers]
            found += pieces([n for h in node.handlers for n in h.body] + node.orelse + node.finalbody, False)
        else:
            found.append((node, always and not isinstance(node, ast.Match), False))
    return found


def nested_globals(table):
    """Module-scope names that nested scopes (functions, classes, lambdas, comprehensions) read."""
    used = {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
    for child in table.get_children():
        used |= nested_globals(child)
    return used


def statements(notebook):
    """([Statement] of every code cell of `notebook`, in order, {grade id: their indices})."""
    found, by_cell = [], {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            body = ast.parse(python_of(cell.source)).body
        except SyntaxError:
            continue
        loop_start = None
        for node, always, looped in pieces(body, True):
            module = ast.fix_missing_locations(ast.Module([node], []))
            table = symtable.symtable(ast.unparse(module), "<cell>", "exec")
            symbols = table.get_symbols()
            deferred = set()
            for child in table.get_children():
                deferred |= nested_globals(child)
            index = len(found)
            if looped and loop_start is None:
                loop_start = index
            elif not looped and loop_start is not None:  # a loop ended: its statements see its end
                found[loop_start:] = [s._replace(loop_end=index - 1) for s in found[loop_start:]]
                loop_start = None
            bound = {s.get_name() for s in symbols if s.is_assigned() or s.is_imported() or s.is_namespace()}
            used = {s.get_name() for s in symbols if s.is_referenced()}
            found.append(Statement(index, frozenset(bound), frozenset(used), frozenset(deferred),
                                   always, loop_end=index))
            by_cell.setdefault(grade_id(cell), []).append(index)
        if loop_start is not None:
            found[loop_start:] = [s._replace(loop_end=len(found) - 1) for s in found[loop_start:]]
    return found, by_cell


def binders_before(statements, binders, name, index):
    """Indices of the statements whose binding of `name` statement `index` may read (`binders`:
    {name: indices of the statements that bind it}): back to the nearest one that always binds it,
    and in a loop every later one up to the loop's end (an earlier iteration's)."""
    end = statements[index].loop_end
    found = [i for i in binders.get(name, ()) if index <= i <= end] if end > index else []
    for i in reversed([i for i in binders.get(name, ()) if i < index]):
        found.append(i)
        if statements[i].always:
            break
    return found


def edges(statements):
    """[indices of the statements each statement may read or run]: for a name it reads when it
    runs, the bindings that may be current then; for a name a nested scope reads when called, any."""
    binders = {}
    for statement in statements:
        for name in statement.bound:
            binders.setdefault(name, []).append(statement.index)
    return [sorted({i for name in s.used for i in binders_before(statements, binders, name, s.index)}
                   | {i for name in s.deferred for i in binders.get(name, ())})
            for s in statements]


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


class PackPlanner:
    """Packs the mutants of one assignment, given its source notebook (hidden tests included)."""

    def __init__(self, source):
        self.statements, by_cell = statements(source)
        self.graph = edges(self.statements)
        self.targets = exercise_cells(source)
        answers = {i for cell in source.cells if is_exercise(cell) for i in by_cell.get(grade_id(cell), ())}
        # {exercise: the statement of its answer cell that defines it}
        self.defines = {name: s.index for s in self.statements if s.index in answers
                        for name in s.bound & set(self.targets)}
        # {exercise: the exercises its test cells may run}
        self.reached_by = {name: self.exercises_reached(reach(self.graph, [
                               i for cell in cells for i in by_cell.get(cell, ())]))
                           for name, cells in self.targets.items()}

    def exercises_reached(self, indices):
        """The exercises whose defining statements are among `indices`."""
        return {name for name, index in self.defines.items() if index in indices}

    def reached(self, name, definition):
        """Exercises that a mutant of `name` written as `definition` may run: through its exercise's
        test cells or its own code; its own exercise excluded."""
        names = definition_names(definition)
        binders = [s.index for s in self.statements if s.bound & names]
        return (self.reached_by[name] | self.exercises_reached(reach(self.graph, binders))) - {name}

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
