# Imports cleanly but declares no test: a mistake to report, not ignore.
ROWS = 10
