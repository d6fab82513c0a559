"""Recognising and parsing what was read: the kind by the header row, the values, the
Statistikbank tables, the names shown for delivered files; an ``Extract`` or the file's
problems in Danish."""
