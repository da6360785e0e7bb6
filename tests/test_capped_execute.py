"""Output past the byte cap of tools/plugins/capped_execute.py is dropped while a cell runs; errors stay."""

import nbformat

from tools.plugins.capped_execute import CappedExecute


def message(msg_type, content):
    return {"msg_type": msg_type, "header": {"msg_type": msg_type, "msg_id": "m"},
            "parent_header": {"msg_id": "p"}, "metadata": {}, "content": content}


def test_stream_past_the_cell_cap_is_dropped_with_one_note_and_errors_are_kept():
    execute = CappedExecute(max_cell_bytes=100, max_notebook_bytes=150)
    execute._cell_bytes, execute._notebook_bytes, execute._capped = {}, 0, set()
    execute.clear_before_next_output = False
    cell = nbformat.v4.new_code_cell("print('x' * 10**9)")
    for _ in range(5):
        execute.process_message(message("stream", {"name": "stdout", "text": "x" * 40}), cell, 0)
    other = nbformat.v4.new_code_cell("print('y')")
    for _ in range(5):
        execute.process_message(message("stream", {"name": "stdout", "text": "y" * 40}), other, 1)
    execute.process_message(message("error", {"ename": "ValueError", "evalue": "e" * 1000,
                                              "traceback": ["t"] * 1000}), other, 1)
    kept = [o for o in cell.outputs if o.get("text", "").startswith("x")]
    assert len(kept) == 2 and "dropped" in cell.outputs[-1]["text"] and len(cell.outputs) == 3
    assert sum(len(o.get("text", "")) for o in other.outputs if o.get("text", "").startswith("y")) <= 80
    errors = [o for o in other.outputs if o["output_type"] == "error"]
    assert errors and len(errors[0]["evalue"]) == 100 and len(errors[0]["traceback"]) == 200
