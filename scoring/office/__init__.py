"""What every document shares: the NĐ 30/2020 layout of Word documents (``nd30``), spreadsheet
cells written and read as text (``xlsx_cells``, ``xlsx_book``), and atomic writes (``atomic``)."""
