"""Reading a delivered file: its sheets' cells within the limits, whatever the format
(xlsx, xls, ods, csv), with every cell scanned for CPR numbers; nothing here knows the
kinds."""
