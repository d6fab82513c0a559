"""A delivered file's life in the data home, owned here for intake and publishing alike:
found in ``indbakke/`` (``inbox``) and copied privately, remembered by its private copy
(``manifest``), kept in ``arkiv/`` or ``afvist/`` (``archive``), answered by a receipt in
``kvitteringer/`` (``receipts``), and finally taken out of the inbox (``lifecycle``).
Nothing here reads a file's content beyond its bytes and hash."""
