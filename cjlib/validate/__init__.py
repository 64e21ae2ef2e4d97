"""Check data files before loading: every problem with its file, row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first
record row 2 (blank lines count; a parquet file is numbered the same way).
Reads cjlib's tidy measures format (CSV or parquet) and statistics.gov.scot tidy
CSV downloads (FeatureCode, DateCode, ... Value, DataMarker); the framework checks
(unknown measure, negative count, numerator over denominator) need the tidy format.
A workbook (.xlsx) is checked by loading it through its mapping (a bundled mapping
that names the workbook's file or one of its sheets, or one given): the first cell
that cannot be read is reported with its sheet, row and value, and the tidy result
gets the framework checks.

- :mod:`cjlib.validate.problem`: a problem and a file's report;
- :mod:`cjlib.validate.files`: check a file (a table, or a workbook through its mapping);
- :mod:`cjlib.validate.frame`: check a table read as text, running the checks below;
- :mod:`cjlib.validate.rows`: areas, periods, values and markers, duplicate rows;
- :mod:`cjlib.validate.framework_checks`: unknown measures, negative counts, numerator
  over denominator.
"""

from cjlib.validate.files import check_file, check_workbook, validate_file
from cjlib.validate.frame import check_frame
from cjlib.validate.problem import Problem, ValidationReport

__all__ = [
    "Problem",
    "ValidationReport",
    "check_file",
    "check_frame",
    "check_workbook",
    "validate_file",
]
