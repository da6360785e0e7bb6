"""The nbgrader plugins nbgrader_config.py puts in place of (or beside) nbgrader's own
preprocessors; each module is named after its class:

    CappedExecute        (Execute, autograde)            caps the output a graded kernel hands back
    GradedCellsExecute   (Execute, autograde)            CappedExecute, up to the last graded code cell
    OverwriteKnownCells  (OverwriteCells, autograde)     unknown grade ids become ordinary cells
    OtherExerciseHint    (generate_feedback)             names the exercise a failure comes from
    HideHiddenTests      (generate_feedback)             keeps hidden tests out of the feedback
"""
