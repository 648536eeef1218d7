"""Page 1 of a PDF as an image, rendered in memory with PDFium (pypdfium2): no file is written."""

from __future__ import annotations

from PySide6.QtGui import QImage


def first_page_image(pdf: bytes, width_px: int) -> tuple[QImage, int]:
    """Page 1 scaled to ``width_px`` wide, and the document's number of pages."""
    import pypdfium2 as pdfium  # loaded on first preview only

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        scale = max(width_px, 50) / page.get_width()
        bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True, may_draw_forms=False)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
        return image.copy(), len(document)  # copy: the bitmap's memory goes with the document
    finally:
        document.close()
