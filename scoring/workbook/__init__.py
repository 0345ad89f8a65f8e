"""The self-assessment workbook a unit fills: its layout contract (``layout``), the input each
rule kind asks for (``inputs``), the writer (``template``), the reader (``reader``) and the unit's
details sheet (``details``)."""
