"""nbgrader's Execute preprocessor with a cap on the output bytes a graded kernel may hand back.

nbgrader keeps every output message of a cell in memory, then writes them all into the graded
notebook; LimitOutput runs only afterwards and counts lines, not bytes. Measured in the sandbox: a
cell writing 1 MiB lines without end made, within a 20 s timeout, a 524 MB graded notebook and a
2.7 GB nbgrader process (at the 300 s timeout: many GB, the grading machine's memory). With this
class in place of Execute (nbgrader_config.py), output beyond `max_cell_bytes` per cell or
`max_notebook_bytes` per notebook is dropped and one stdout line says so. Errors are always kept
(they decide the score), with their message and traceback shortened to the cap.
"""

import nbformat
from nbgrader.preprocessors import Execute
from traitlets import Integer

OUTPUT_TYPES = {"stream", "display_data", "execute_result", "update_display_data"}


def content_bytes(value):
    """Characters of every string in a message's content (a cheap measure of its size)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(content_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(content_bytes(v) for v in value)
    return 8


class CappedExecute(Execute):
    """Execute (all its settings, c.Execute.*, apply) that drops output past a byte budget."""

    max_cell_bytes = Integer(4 * 2**20, help="output characters kept per cell").tag(config=True)
    max_notebook_bytes = Integer(16 * 2**20, help="output characters kept per notebook").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._cell_bytes, self._notebook_bytes, self._capped = {}, 0, set()
        return super().preprocess(nb, resources=resources, km=km)

    def process_message(self, msg, cell, cell_index):
        msg_type = msg.get("msg_type")
        if msg_type == "error":
            content = msg["content"]
            content["evalue"] = str(content.get("evalue", ""))[: self.max_cell_bytes]
            content["traceback"] = [str(line)[:10000] for line in content.get("traceback", [])[-200:]]
        elif msg_type in OUTPUT_TYPES:
            size = content_bytes(msg.get("content", {}))
            used = self._cell_bytes.get(cell_index, 0)
            if used + size > self.max_cell_bytes or self._notebook_bytes + size > self.max_notebook_bytes:
                if cell_index not in self._capped:
                    self._capped.add(cell_index)
                    cell.outputs.append(nbformat.v4.new_output(
                        "stream", name="stdout", text=f"\n[grader: output of this cell past "
                        f"{used} characters was dropped]\n"))
                return None
            self._cell_bytes[cell_index] = used + size
            self._notebook_bytes += size
        return super().process_message(msg, cell, cell_index)
