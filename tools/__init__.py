"""Format readers and writers (Fountain, FDX, OTIO, PDF, HTML) and media helpers."""
