"""Results out: JSON, CSV and terminal tables (``text``), the score table (``xlsx``), the
self-assessment report (``docx``), charts (``charts``) and what a report lists (``data``)."""
