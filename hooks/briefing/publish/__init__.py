"""Stage 5, publishing: downloads, head tags, the feed, the PDF, sanitising and the export."""
