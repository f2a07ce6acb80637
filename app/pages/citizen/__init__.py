"""Citizens answering themselves: personal links (``/r/<token>``), the short code for
typing it in, and the printed letters (thư mời) that carry both with a QR code."""
