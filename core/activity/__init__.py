"""Activity files (GPX, FIT, TCX) from a watch or phone: read, checked, summarised.

Pure code: bytes in, an `Activity` (summary, splits, best efforts) or a friendly
`ActivityError` out. The GPS track never leaves this package — Pacer keeps the summary, the
splits and the best efforts, never the track or the file.
"""
