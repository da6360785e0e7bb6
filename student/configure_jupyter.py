"""Set JupyterLab up for students, in the Python environment that runs this script only.

Run it once after installing, with the course environment active: `python configure_jupyter.py`.
- Switches off (and locks off) nbgrader's instructor tools (Formgrader, Create Assignment, the
  course list, their menu) and the Assignments tab, which needs an exchange folder this course
  does not use. Only the environment's own configuration changes (`<environment>/etc/jupyter`),
  never your user or system settings.
- Keeps the Validate button, and gives it the course's settings: `nbgrader_config.py` (the same
  time limit per cell as grading) is copied to `<environment>/etc/jupyter`, where nbgrader finds it
  whichever folder JupyterLab starts in.
"""

import shutil
import subprocess
import sys
from pathlib import Path

LAB_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
               "@jupyter/nbgrader:menu", "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list"]
SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.assignment_list",
                     "nbgrader.server_extensions.course_list"]


def jupyter(*args):
    """Run `python -m jupyter ARGS` with this environment's Python; stop with its output on failure."""
    done = subprocess.run([sys.executable, "-m", "jupyter", *args], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"jupyter {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def main():
    jupyter("labextension", "disable", "--level=sys_prefix", *LAB_PLUGINS)
    jupyter("labextension", "lock", "--level=sys_prefix", *LAB_PLUGINS)
    jupyter("server", "extension", "disable", "--sys-prefix", *SERVER_EXTENSIONS)
    config_dir = Path(sys.prefix) / "etc" / "jupyter"
    config_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(__file__).with_name("nbgrader_config.py"), config_dir / "nbgrader_config.py")
    print(f"JupyterLab in {sys.prefix} is set up for students: Validate on, instructor tools off.")


if __name__ == "__main__":
    main()
