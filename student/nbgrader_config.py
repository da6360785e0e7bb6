"""nbgrader settings for students' Validate button (configure_jupyter.py installs this file)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

# The same time limit per cell as grading (nbgrader's own default is 30 s): a cell still running
# after 300 s is interrupted and reported as failed.
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True
# As in grading: a busy laptop gets 60 s, not 4, for a cell's last outputs to arrive.
c.Execute.iopub_timeout = 60
